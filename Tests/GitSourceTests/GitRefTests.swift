import Testing

@testable import GitSource

@Suite struct GitRefTests {
    private func parse(_ text: String) -> GitRef? { try? GitRef(parsing: text) }

    @Test func parsesCommitsAndNames() {
        let id = "0123456789abcdef0123456789abcdef01234567"
        #expect(parse(id) == .commit(id))
        #expect(parse(id.uppercased()) == .commit(id))
        #expect(parse("0123456") == .shortName("0123456"))  // short hex is a name
        #expect(parse(id + "0") == .shortName(id + "0"))  // 41 hex is a name
        #expect(parse("main") == .shortName("main"))
        #expect(parse("v1.2.3") == .shortName("v1.2.3"))
        #expect(parse("feature/login-form") == .shortName("feature/login-form"))
        #expect(parse("refs/heads/main") == .fullName("refs/heads/main"))
        #expect(parse("refs/tags/v1") == .fullName("refs/tags/v1"))
        #expect(parse("refs/pull/12/head") == .fullName("refs/pull/12/head"))
        #expect(parse("HEAD") == .shortName("HEAD"))
        #expect(parse("héllo") == .shortName("héllo"))
        #expect(parse(String(repeating: "a", count: 255)) == .shortName(String(repeating: "a", count: 255)))
    }

    @Test func rejectsInvalidNames() {
        let invalid = [
            "", "a..b", "-main", "@", "a@{1}", "a b", "tab\there", "nl\n", "del\u{7f}",
            "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "a//b", "/main", "main/", "main.",
            "main.lock", "x/y.lock/z", ".hidden", "x/.hidden", "refs/", "refs/heads/..",
            String(repeating: "a", count: 256),
        ]
        for text in invalid {
            #expect(throws: SourceError.self, "\(text.debugDescription) should be rejected") {
                try GitRef(parsing: text)
            }
        }
    }

    @Test func errorNamesTheRefAndTheRule() {
        do {
            _ = try GitRef(parsing: "a..b")
            Issue.record("a..b was accepted")
        } catch {
            #expect(error.code == .invalidRef)
            #expect(error.message == "The ref \"a..b\" is not a valid git ref name: it contains \"..\".")
        }
    }

    /// Our rules agree with `git check-ref-format` (except the agent's extra
    /// rules: no leading "-", not "@", at most 255 bytes).
    @Test func agreesWithGitCheckRefFormat() throws {
        let names = [
            "main", "a..b", "a@{1}", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "a//b", "main.",
            "main.lock", "x/.hidden", "v1.0", "release/2024-01", "a@b", "x.lock/y", "héllo",
        ]
        for name in names {
            let gitAccepts = (try? Shell.run(["git", "check-ref-format", "refs/heads/" + name])) != nil
            #expect((parse(name) != nil) == gitAccepts, "\(name.debugDescription): git says \(gitAccepts)")
        }
    }

    @Test func descriptionAndCandidates() {
        #expect(GitRef.shortName("main").description == "main")
        #expect(GitRef.fullName("refs/tags/v1").description == "refs/tags/v1")
        #expect(GitRef.shortName("v1").candidateNames == ["refs/tags/v1", "refs/heads/v1"])
        #expect(GitRef.fullName("refs/heads/x").candidateNames == ["refs/heads/x"])
        #expect(GitRef.commit(String(repeating: "a", count: 40)).candidateNames == [])
    }
}
