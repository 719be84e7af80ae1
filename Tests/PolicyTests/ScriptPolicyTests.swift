import AgentSystem
import ConfigKeys
import Testing

@testable import Policy

@Suite struct ScriptPolicyTests {
    @Test(arguments: [
        (["deploy/*"], "deploy/web", true),
        (["deploy/*"], "deploy/a/b", false),
        (["deploy/*"], "deployx/web", false),
        (["deploy/**"], "deploy/a/b", false),
        (["deploy/*/*"], "deploy/a/b", true),
        (["repro-*"], "repro-deploy-example", true),
        (["repro-*"], "x/repro-1", false),
        (["hello"], "hello", true),
        (["hello"], "hello2", false),
        (["a?c"], "abc", true),
        (["[ab]x"], "bx", true),
        (["deploy/*", "repro-*"], "repro-1", true),
        (["*"], "top", true),
        (["*"], "sub/dir", false),
    ])
    func allowList(patterns: [String], scriptID: String, allowed: Bool) {
        let policy = ScriptPolicy(allowedScripts: patterns)
        if allowed {
            #expect(throws: Never.self) { try policy.check(scriptID: scriptID) }
        } else {
            #expect(throws: PolicyViolation.self) { try policy.check(scriptID: scriptID) }
        }
    }

    @Test func emptyListAllowsNothingAndSaysWhichKeyToSet() {
        #expect {
            try ScriptPolicy(allowedScripts: []).check(scriptID: "anything")
        } throws: { error in
            guard let violation = error as? PolicyViolation else { return false }
            return violation.rule == .key(.policyAllowedScripts) && violation.message.contains("List the scripts")
        }
    }
}

/// Inputs the fuzzer found (Fuzz/Corpus/glob); each failed before its fix.
@Suite struct GlobFuzzFindingTests {
    /// `fnmatch` reads C strings: a NUL ended the pattern or the text early,
    /// so `"\0"` matched the empty text and `git://ok/*\0evil` allowed
    /// `git://ok/x`. Anything holding a NUL now matches nothing.
    @Test(arguments: [("\0", ""), ("a\0b", "a"), ("a", "a\0b"), ("git://ok/*\0x", "git://ok/y"), ("*", "a\0")])
    func nulMatchesNothing(pattern: String, text: String) {
        #expect(!Glob.matches(pattern, text))
        #expect(!Glob.matches(pattern, text, pathSegments: true))
    }
}
