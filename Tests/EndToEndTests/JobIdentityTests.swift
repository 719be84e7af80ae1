import Foundation
import TestSupport
import Testing

/// One `JOB_ID`, one truth: a second agent for a running job is refused
/// without touching it, and a retry keeps every earlier attempt.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct JobIdentityTests {
    /// Waits in its work directory (`HOME`) for the test's `go`.
    static let waiting = """
        echo "running $JOB_ID"
        echo partial > "$SF_ARTIFACTS_DIR/partial.txt"
        touch "$HOME/started"
        while [ ! -e "$HOME/go" ]; do sleep 0.1; done
        echo "done $JOB_ID"
        """

    @Test func aDuplicateAgentIsRefusedAndTheRunningJobFinishesUntouched() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["wait.sh": Self.waiting])
        let jobID = "dup-\(UUID().uuidString.prefix(8))"
        let first = try world.startAgent(job: ["JOB_ID": jobID, "SCRIPT_ID": "wait"])
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let workDirectory = world.work + "/" + jobID
        #expect(world.waitFor(workDirectory + "/started"), "the first agent's script runs")

        // The duplicate: at once refused, exit 73; it must not wait for the first.
        let started = Date()
        let second = try world.agent(job: ["JOB_ID": jobID, "SCRIPT_ID": "wait"], settings: ["run.timeout": "5s"])
        #expect(second.status == 73, "\(second.stderr)")
        #expect(Date().timeIntervalSince(started) < 4, "refused without waiting")
        #expect(second.stderr.contains("Another agent is running job \(jobID)"), "\(second.stderr)")
        let folder = world.outputFolder(jobID)
        let refusals = try FileManager.default.contentsOfDirectory(atPath: folder + "/duplicates")
        #expect(refusals.count == 1)
        let refusal = folder + "/duplicates/" + (refusals.first ?? "")
        #expect(second.stderr.contains("result: \(refusal)"), "\(second.stderr)")
        try world.validate(file: refusal)
        let refused = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: refusal))) as? [String: Any])
        #expect(refused["status"] as? String == "duplicate")
        #expect(refused["attempt"] is NSNull)
        #expect((refused["error"] as? [String: Any])?["code"] as? String == "job_in_progress")

        // The first job's files and work directory are as they were.
        #expect(FileManager.default.fileExists(atPath: workDirectory + "/started"), "its work directory is untouched")
        #expect(!FileManager.default.fileExists(atPath: folder + "/result.json"), "no result for a job still running")
        #expect(try world.readOutput(jobID, "stdout.log").contains("running \(jobID)"))

        _ = FileManager.default.createFile(atPath: workDirectory + "/go", contents: nil)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "succeeded")
        #expect(result["attempt"] as? Int == 1)
        #expect(
            try world.readOutput(jobID, "stdout.log").contains("done \(jobID)"), "its own log beside its own result")
        #expect(try world.listArtifacts(jobID) == ["partial.txt"])
    }

    @Test func aRetryKeepsEveryEarlierAttemptEvenWhenItIsRefusedOrBusy() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit([
            "flaky.sh": #"echo "attempt output"; echo kept > "$SF_ARTIFACTS_DIR/kept.txt"; exit 3"#
        ])
        let job = ["JOB_ID": "retry", "SCRIPT_ID": "flaky"]
        let pinned = ["repo.ref": commit, "cache.lock_timeout": "1s"]
        let folder = world.outputFolder("retry")

        // 1: the script runs and fails.
        let first = try world.agent(job: job, settings: pinned)
        #expect(first.status == 3, "\(first.stderr)")
        // 2: the retry is refused by policy (77).
        let refused = try world.agent(job: job, settings: pinned.merging(["policy.allowed_scripts": "other"]) { $1 })
        #expect(refused.status == 77, "\(refused.stderr)")
        // 3: the retry finds the cache busy (75).
        let fd = open(world.cache + "/checkouts/\(commit).lock", O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX) == 0)
        let busy = try world.agent(job: job, settings: pinned)
        close(fd)
        #expect(busy.status == 75, "\(busy.stderr)")

        // Attempt 1 is whole in attempts/1: result, logs, archive, manifest, provenance.
        let one = folder + "/attempts/1"
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: one).sorted() == [
                "artifacts.tar.gz", "combined.log", "manifest.json", "provenance.json", "result.json", "stderr.log",
                "stdout.log",
            ])
        try world.validate(file: one + "/result.json")
        let firstResult = try json(one + "/result.json")
        #expect(firstResult["status"] as? String == "failed")
        #expect(firstResult["attempt"] as? Int == 1)
        #expect(try String(contentsOfFile: one + "/stdout.log", encoding: .utf8).contains("attempt output"))
        let provenance = try json(one + "/provenance.json")
        let definition = (provenance["predicate"] as? [String: Any])?["buildDefinition"] as? [String: Any]
        #expect((definition?["internalParameters"] as? [String: Any])?["attempt"] as? Int == 1)
        #expect(try Command.check("/usr/bin/tar", ["-tzf", one + "/artifacts.tar.gz"]).contains("kept.txt"))
        // Attempt 2 (refused) in attempts/2; attempt 3 (busy) at the top, where the orchestrator reads.
        try world.validate(file: folder + "/attempts/2/result.json")
        #expect(try json(folder + "/attempts/2/result.json")["status"] as? String == "rejected")
        #expect(try json(folder + "/attempts/2/result.json")["attempt"] as? Int == 2)
        try world.validateResult("retry")
        #expect(try world.result("retry")["status"] as? String == "busy")
        #expect(try world.result("retry")["attempt"] as? Int == 3)
        #expect(busy.stderr.contains("job retry busy (attempt 3)"), "\(busy.stderr)")

        // gc bounds them: two attempts kept, the latest (at the top) included.
        let gc = try world.agent("gc", job: [:], settings: ["output.keep_attempts": "2"])
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(gc.stdout.contains("removed attempt \(one)"), "\(gc.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/attempts") == ["2"])
        #expect(try world.result("retry")["attempt"] as? Int == 3)
    }

    func json(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }
}
