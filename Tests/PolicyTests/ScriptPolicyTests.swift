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
            return violation.rule == "policy.allowed_scripts" && violation.message.contains("List the scripts")
        }
    }
}
