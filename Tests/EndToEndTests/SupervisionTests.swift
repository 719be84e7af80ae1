import Foundation
import TestSupport
import Testing

/// Nothing of a job outlives the agent's report, however it tried to hide;
/// a stopped agent still reports.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SupervisionTests {
    static let leftovers: [String: String] = [
        // Ignores SIGTERM and outlives the timeout.
        "stubborn.sh": "trap '' TERM; sleep 300 & while :; do sleep 1; done\n",
        // A daemon in a session of its own, still running when the script exits.
        "daemon.sh": "setsid sh -c 'trap \"\" TERM; exec sleep 300' </dev/null >/dev/null 2>&1 &\nsleep 0.5\n",
        // Double fork: the grandchild is orphaned at once and reparented.
        "double.sh": "( ( trap '' TERM; exec sleep 300 ) & ) </dev/null >/dev/null 2>&1\nsleep 0.5\n",
    ]

    @Test(arguments: ["stubborn", "daemon", "double"])
    func noProcessOfTheJobRemains(script: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(Self.leftovers)
        let jobID = "left-\(script)-\(UUID().uuidString.prefix(8))"
        let started = Date()
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": script], settings: ["run.timeout": "3s", "run.kill_grace": "1s"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == (script == "stubborn" ? 124 : 0), "\(run.stderr)")
        #expect(elapsed < 30, "took \(elapsed) s")
        try world.validateResult(jobID)
        #expect(AgentWorld.processes(ofJob: jobID).isEmpty, "processes of \(jobID) remain")
    }

    @Test func sigtermToTheAgentCancelsArchivesAndReports() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "long.sh": """
            trap '' TERM
            echo partial > "$SF_ARTIFACTS_DIR/partial.txt"
            setsid sleep 300 </dev/null >/dev/null 2>&1 &
            touch "$SF_ARTIFACTS_DIR/started"
            while :; do sleep 1; done
            """
        ])
        let jobID = "cancel-\(UUID().uuidString.prefix(8))"
        let agent = try world.startAgent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "long"], settings: ["run.kill_grace": "2s"])
        // The sandbox lets the script write only its own directories.
        #expect(world.waitFor(world.work + "/" + jobID + "/artifacts/started"), "the script started")
        let stopped = Date()
        kill(agent.processIdentifier, SIGTERM)
        usleep(300_000)
        kill(agent.processIdentifier, SIGTERM)  // a second SIGTERM during shutdown
        agent.waitUntilExit()
        let elapsed = Date().timeIntervalSince(stopped)
        #expect(agent.terminationStatus == 125)
        #expect(elapsed < 2 + 10, "stopped within the grace plus margin (\(elapsed) s)")
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "cancelled")
        #expect(try world.listArtifacts(jobID) == ["partial.txt", "started"])
        #expect(AgentWorld.processes(ofJob: jobID).isEmpty)
    }
}
