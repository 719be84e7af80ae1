import Testing

@testable import GitSource

/// Trees with such names cannot be made with the git CLI, so the rule is tested directly.
@Suite struct TreeEntryNameTests {
    private func allowed(_ name: [UInt8]) -> Bool { TreeEntryName.problem(name) == nil }
    private func allowed(_ name: String) -> Bool { allowed(Array(name.utf8)) }

    @Test func names() {
        #expect(allowed("run.sh"))
        #expect(allowed("with space"))
        #expect(allowed("..."))
        #expect(allowed(".github"))
        #expect(allowed(".gitignore"))
        #expect(allowed([0xff, 0xfe]))  // not UTF-8, still a valid file name
        #expect(!allowed(""))
        #expect(!allowed("."))
        #expect(!allowed(".."))
        #expect(!allowed("a/b"))
        #expect(!allowed("/"))
        #expect(!allowed([UInt8(ascii: "a"), 0, UInt8(ascii: "b")]))
        #expect(!allowed(".git"))
        #expect(!allowed(".GIT"))
        #expect(TreeEntryName.problem(Array("..".utf8)) == "is \"..\"")
    }
}
