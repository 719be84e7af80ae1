import AgentSystem
import Testing

@Suite struct PathTests {
    @Test func inside() {
        #expect(Path.isInside("/a/b", directory: "/a"))
        #expect(Path.isInside("/a", directory: "/a/"))
        #expect(Path.isInside("/x", directory: "/"))
        #expect(!Path.isInside("/ab", directory: "/a"))
        #expect(!Path.isInside("/b/c", directory: "/a"))
    }

    /// Found by the job identifiers fuzz harness (Fuzz/Corpus/jobidentifiers):
    /// `String` compares canonically equivalent spellings as equal, so a path
    /// under `/srv/e` + U+0301 counted as inside `/srv/é`, another folder.
    @Test func comparesBytesNotCanonicalEquivalents() {
        #expect(!Path.isInside("/srv/\u{e9}/x", directory: "/srv/e\u{301}"))
        #expect(!Path.isInside("/srv/e\u{301}/x", directory: "/srv/\u{e9}"))
        #expect(!Path.isInside("/srv/\u{e9}", directory: "/srv/e\u{301}"))
        #expect(Path.isInside("/srv/\u{e9}/x", directory: "/srv/\u{e9}"))
    }
}
