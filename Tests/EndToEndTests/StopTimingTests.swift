import Foundation
import TestSupport
import Testing

/// The defaults fit the platforms' stop timeouts: a container stopped with
/// Docker's or podman's default (SIGTERM, then SIGKILL 10 s later) still
/// gets its artifacts archived and its `result.json` written, even when the
/// script ignores SIGTERM.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct StopTimingTests {
    /// What `docker stop` / `podman stop` do by default.
    static let platformStopTimeout: TimeInterval = 10

    @Test func theDefaultKillGraceFitsADefaultContainerStop() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "stubborn.sh": """
            trap '' TERM
            echo before > "$SF_ARTIFACTS_DIR/before.txt"
            touch "$HOME/started"
            while :; do sleep 0.2; done
            """
        ])
        let jobID = "stop-\(UUID().uuidString.prefix(8))"
        // run.kill_grace is left at its built-in default.
        let agent = try world.startAgent(job: ["JOB_ID": jobID, "SCRIPT_ID": "stubborn"], unset: ["run.kill_grace"])
        #expect(world.waitFor(world.work + "/" + jobID + "/started"), "the script runs")
        let stopped = Date()
        kill(agent.processIdentifier, SIGTERM)
        while agent.isRunning && Date().timeIntervalSince(stopped) < Self.platformStopTimeout { usleep(20_000) }
        let killed = agent.isRunning
        if killed { kill(agent.processIdentifier, SIGKILL) }
        agent.waitUntilExit()
        let elapsed = Date().timeIntervalSince(stopped)

        #expect(!killed, "the agent finished within the platform's \(Self.platformStopTimeout) s (took \(elapsed) s)")
        #expect(agent.terminationStatus == 125)
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "cancelled")
        #expect(result["signal"] as? String == "SIGKILL", "the script ignored SIGTERM and was killed after the grace")
        #expect(try world.listArtifacts(jobID) == ["before.txt"])
        #expect(elapsed < Self.platformStopTimeout - 2, "room left for archiving: \(elapsed) s")
    }
}
