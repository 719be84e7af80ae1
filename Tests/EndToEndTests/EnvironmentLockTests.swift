import Foundation
import TestSupport
import Testing

/// `config.ignore_environment` in the configuration file: an `SF_*` variable
/// (as job input slipped into the container's environment would be) cannot
/// widen what the file allows. Without the lock it can (the control).
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct EnvironmentLockTests {
    static let lock = "policy, sandbox, run, limits"

    /// `sf-agent <command>` for `scriptID` with the file allowing only
    /// `allowed/*`, `SF_POLICY_ALLOWED_SCRIPTS=*/*` in the environment, and
    /// the lock in the file when `locked`.
    func attempt(_ command: String = "run", scriptID: String, locked: Bool) throws -> (
        AgentWorld, String, Command.Output
    ) {
        let world = try AgentWorld()
        try world.commit(["allowed/ok.sh": RejectionTests.markerScript, "other/x.sh": RejectionTests.markerScript])
        var configuration = ["policy.allowed_scripts": "allowed/*"]
        if locked { configuration["config.ignore_environment"] = Self.lock }
        let jobID = "lock-\(UUID().uuidString.prefix(8))"
        let run = try world.agent(
            command, job: ["JOB_ID": jobID, "SCRIPT_ID": scriptID, "SF_POLICY_ALLOWED_SCRIPTS": "*/*"],
            configuration: configuration)
        return (world, jobID, run)
    }

    static let warning = "sf-agent: warning: SF_POLICY_ALLOWED_SCRIPTS is ignored: config.ignore_environment ("

    @Test func withTheLockAVariableCannotWidenTheAllowList() throws {
        let (world, jobID, run) = try attempt(scriptID: "other/x", locked: true)
        defer { world.remove() }
        #expect(run.status == 77, "\(run.stderr)")
        #expect(run.stderr.contains(Self.warning), "\(run.stderr)")
        #expect(
            run.stderr.contains("locks the policy section, so policy.allowed_scripts comes from the configuration file")
        )
        #expect(run.stderr.contains("Script `other/x` is not allowed"), "\(run.stderr)")
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "rejected")
        #expect((result["error"] as? [String: Any])?["rule"] as? String == "policy.allowed_scripts")
        #expect(!world.scriptRan(jobID))
    }

    @Test func withoutTheLockTheVariableWidensIt() throws {
        let (world, jobID, run) = try attempt(scriptID: "other/x", locked: false)
        defer { world.remove() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("warning"), "\(run.stderr)")
        #expect(world.scriptRan(jobID), "SF_POLICY_ALLOWED_SCRIPTS=*/* let other/x run")
    }

    @Test func withTheLockTheFilesOwnScriptsRunAndCheckShowsTheLock() throws {
        let (world, jobID, run) = try attempt(scriptID: "allowed/ok", locked: true)
        defer { world.remove() }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(world.scriptRan(jobID))
        #expect(run.stderr.contains(Self.warning), "every command warns: \(run.stderr)")

        let (checkWorld, _, check) = try attempt("check", scriptID: "allowed/ok", locked: true)
        defer { checkWorld.remove() }
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.contains(Self.warning), "\(check.stderr)")
        #expect(
            check.stdout.contains(
                "config       SF_* ignored for policy, sandbox, run, limits (config.ignore_environment, \(checkWorld.root)/agent.conf:"
            ),
            "\(check.stdout)")
        #expect(
            check.stdout.contains("ignored      SF_POLICY_ALLOWED_SCRIPTS (policy.allowed_scripts)\n")
                || check.stdout.hasSuffix("ignored      SF_POLICY_ALLOWED_SCRIPTS (policy.allowed_scripts)"),
            "\(check.stdout)")
    }

    @Test func theLockCannotBeSetOnTheCommandLine() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["allowed/ok.sh": RejectionTests.markerScript])
        let run = try world.agent(
            job: ["JOB_ID": "lock-flag", "SCRIPT_ID": "allowed/ok"], settings: ["config.ignore_environment": "policy"])
        #expect(run.status == 78, "\(run.stderr)")
        #expect(
            run.stderr.contains("`config.ignore_environment` can be set in the configuration file only"),
            "\(run.stderr)")
        #expect(!world.scriptRan("lock-flag"))
    }

    /// A variable whose name only looks like a key (a Kelvin sign for the K,
    /// canonically equivalent in Swift's string comparison) is no key.
    @Test func aLookalikeNameIsNotAKey() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo ok"])
        let run = try world.agent(job: ["JOB_ID": "kelvin", "SCRIPT_ID": "ok", "SF_SANDBOX_NETWOR\u{212A}": "none"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try world.sandbox("kelvin")["network"] as? String == "host")
    }
}
