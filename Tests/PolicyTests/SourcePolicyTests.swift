import ConfigKeys
import Testing

@testable import Policy

@Suite struct SourcePolicyTests {
    let commit = "0123456789abcdef0123456789abcdef01234567"

    @Test(
        arguments: [
            ([], "git://anything/at/all", true),
            (["git://127.0.0.1/*"], "git://127.0.0.1/scripts", true),
            (["git://127.0.0.1/*"], "git://127.0.0.2/scripts", false),
            (["/srv/repos/*", "file:///srv/*"], "file:///srv/x", true),
            (["/srv/repos/*"], "/srv/other/x", false),
        ] as [([String], String, Bool)])
    func repositories(patterns: [String], url: String, allowed: Bool) {
        let policy = SourcePolicy(allowedRepos: patterns, allowedRefs: [], requirePinnedCommit: false)
        if allowed {
            #expect(throws: Never.self) { try policy.checkRepository(url) }
        } else {
            #expect(throws: PolicyViolation.self) { try policy.checkRepository(url) }
        }
    }

    @Test func refusalShowsTheRedactedURL() {
        let policy = SourcePolicy(allowedRepos: ["git://ok/*"], allowedRefs: [], requirePinnedCommit: false)
        #expect {
            try policy.checkRepository("https://user:secret@host/r", displayURL: "https://host/r")
        } throws: { error in
            guard let violation = error as? PolicyViolation else { return false }
            return violation.rule == .key(.policyAllowedRepos) && !violation.message.contains("secret")
                && violation.message.contains("https://host/r")
        }
    }

    @Test func effectiveRef() throws {
        let closed = SourcePolicy(allowedRepos: [], allowedRefs: [], requirePinnedCommit: false)
        #expect(try closed.effectiveRef(configured: "main", requested: nil) == "main")
        #expect(
            throws: PolicyViolation(
                .notAllowed,
                rule: .key(.policyAllowedRefs),
                message:
                    "SCRIPTS_REF `dev` is not allowed: policy.allowed_refs is empty, so jobs may not choose their ref. Set policy.allowed_refs to permit it."
            )
        ) {
            try closed.effectiveRef(configured: "main", requested: "dev")
        }

        let open = SourcePolicy(allowedRepos: [], allowedRefs: ["release/*", "v*"], requirePinnedCommit: false)
        #expect(try open.effectiveRef(configured: "main", requested: "release/2.0") == "release/2.0")
        #expect(try open.effectiveRef(configured: "main", requested: "v1.2") == "v1.2")
        #expect(throws: PolicyViolation.self) { try open.effectiveRef(configured: "main", requested: "feature/x") }
    }

    @Test func pinnedCommits() throws {
        let pinned = SourcePolicy(allowedRepos: [], allowedRefs: ["*"], requirePinnedCommit: true)
        #expect(try pinned.effectiveRef(configured: commit, requested: nil) == commit)
        #expect(try pinned.effectiveRef(configured: "main", requested: commit) == commit)
        #expect(throws: PolicyViolation.self) { try pinned.effectiveRef(configured: "main", requested: nil) }
        #expect(throws: PolicyViolation.self) {
            try pinned.effectiveRef(configured: String(commit.prefix(12)), requested: nil)
        }
        #expect {
            try pinned.effectiveRef(configured: commit, requested: "v1")
        } throws: { ($0 as? PolicyViolation)?.rule == .key(.policyRequirePinnedCommit) }
    }

    @Test(arguments: [
        ("0123456789abcdef0123456789abcdef01234567", true), ("0123456789ABCDEF0123456789abcdef01234567", true),
        ("0123456789abcdef0123456789abcdef0123456", false), ("0123456789abcdef0123456789abcdef012345678", false),
        ("g123456789abcdef0123456789abcdef01234567", false), ("main", false),
    ])
    func fullCommitIDs(text: String, expected: Bool) {
        #expect(SourcePolicy.isFullCommitID(text) == expected)
    }
}
