import Foundation
import TestSupport
import Testing

/// What the agent says about the source it ran: submodules and the rules
/// passed (ancestry and signatures: ``RefVerificationTests``).
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SourceVerificationTests {
    static let gitmodules = """
        [submodule "vendor/lib"]
        \tpath = vendor/lib
        \turl = https://example.invalid/lib.git
        """

    @Test func submodulesRunWithANotice() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([".gitmodules": Self.gitmodules, "hello.sh": "echo hello\n"])
        let run = try world.agent(job: ["JOB_ID": "sub-notice", "SCRIPT_ID": "hello"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("declares submodules"), "\(run.stderr)")
        try world.validateResult("sub-notice")
        let source = try #require(try world.result("sub-notice")["source"] as? [String: Any])
        #expect(source["submodules"] as? Bool == true)
        #expect((source["rules_passed"] as? [String])?.contains { $0.hasPrefix("policy.allowed_scripts") } == true)
    }

    @Test func submodulesRefusedWhenPolicySaysSo() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([".gitmodules": Self.gitmodules, "hello.sh": "echo hello\n"])
        let run = try world.agent(
            job: ["JOB_ID": "sub-refuse", "SCRIPT_ID": "hello"], settings: ["repo.submodules": "refuse"])
        #expect(run.status == 77, "\(run.stderr)")
        #expect(!run.stdout.contains("hello"))
        try world.validateResult("sub-refuse")
        let error = try #require(try world.result("sub-refuse")["error"] as? [String: Any])
        #expect(error["rule"] as? String == "repo.submodules")
    }

    @Test func withoutSubmodulesTheResultSaysNone() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["hello.sh": "echo hello\n"])
        let run = try world.agent(
            job: ["JOB_ID": "sub-none", "SCRIPT_ID": "hello"], settings: ["repo.submodules": "refuse"])
        #expect(run.status == 0, "\(run.stderr)")
        let source = try #require(try world.result("sub-none")["source"] as? [String: Any])
        #expect(source["submodules"] as? Bool == false)
    }
}
