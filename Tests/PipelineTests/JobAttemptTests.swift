import AgentSystem
import Foundation
import Report
import Testing

@testable import Pipeline

#if canImport(Glibc)
import Glibc
#endif

/// One `JOB_ID`, one truth: the lock that refuses a second agent, and the
/// attempts that are kept, never deleted.
@Suite struct JobAttemptTests {
    func put(_ path: String, _ text: String) throws {
        try FileSystem.writeAtomically(Array(text.utf8), to: path, mode: 0o644)
    }

    @Test func aSecondAgentForARunningJobIsRefusedAndTouchesNothing() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        guard case .claimed(let running) = JobAttempt.claim(jobID: "dup", outputDirectory: world.output) else {
            Issue.record("the first agent could not claim the job")
            return
        }
        let folder = world.jobFolder("dup")
        try put(folder + "/stdout.log", "the running job's output\n")
        try FileManager.default.createDirectory(atPath: world.workDirectory("dup"), withIntermediateDirectories: true)
        let before = world.names(folder)

        let log = StageLog()
        let completion = world.pipeline.run(
            environment: world.environment("dup"), stages: FakeStages(world: world, log: log))
        #expect(log.calls.isEmpty, "the duplicate runs no stage")
        #expect(completion.result.status == .duplicate)
        #expect(completion.result.agentExitCode == 73)
        #expect(completion.result.attempt == nil)
        #expect(completion.result.error?.code == .jobInProgress)
        let file = try #require(completion.resultFile)
        #expect(file.hasPrefix(folder + "/duplicates/") && file.hasSuffix(".json"), "\(file)")
        #expect(try world.json(file)["status"] as? String == "duplicate")
        #expect(world.names(folder) == (before + ["duplicates"]).sorted(), "only its refusal is added")
        #expect(try String(contentsOfFile: folder + "/stdout.log", encoding: .utf8) == "the running job's output\n")
        #expect(world.exists(world.workDirectory("dup")), "the running job's work directory is left alone")
        #expect(!world.exists(folder + "/result.json"))

        // Once the first agent is done, the next one is attempt 2 and keeps attempt 1.
        running.release()
        let next = world.pipeline.run(
            environment: world.environment("dup"), stages: FakeStages(world: world, log: StageLog()))
        #expect(next.result.attempt == 2)
        #expect(
            try String(contentsOfFile: folder + "/attempts/1/stdout.log", encoding: .utf8)
                == "the running job's output\n")
    }

    @Test func everyAttemptIsKeptAndTheLatestIsAtTheTop() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let folder = world.jobFolder("retry")
        let runs: [(FailurePoint?, JobStatus)] = [
            (nil, .succeeded), (.policy, .rejected), (.source, .error), (.timeout, .timedOut),
        ]
        for (index, (failing, status)) in runs.enumerated() {
            let completion = world.pipeline.run(
                environment: world.environment("retry"),
                stages: FakeStages(world: world, log: StageLog(), failing: failing))
            #expect(completion.result.attempt == index + 1)
            #expect(completion.result.status == status)
        }
        #expect(world.names(folder + "/attempts") == ["1", "2", "3"])
        #expect(world.names(folder + "/attempts/1") == ["artifacts.tar.gz", "result.json", "stdout.log"])
        #expect(
            world.names(folder + "/attempts/2") == ["result.json"], "a refused retry left its result, removed nothing")
        for (number, status) in [(1, "succeeded"), (2, "rejected"), (3, "error")] {
            let result = try world.json(folder + "/attempts/\(number)/result.json")
            #expect(result["attempt"] as? Int == number)
            #expect(result["status"] as? String == status)
        }
        #expect(try world.json(folder + "/result.json")["attempt"] as? Int == 4)
        #expect(world.names(folder).contains("stdout.log"))
        // Every file and folder of the job's folder has the one documented mode.
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var info = stat()
            #expect(lstat(folder + "/" + path, &info) == 0)
            let expected: mode_t = (info.st_mode & S_IFMT) == S_IFDIR ? 0o755 : 0o644
            #expect(info.st_mode & 0o7777 == expected, "\(path): \(String(info.st_mode & 0o7777, radix: 8))")
        }
    }

    @Test func anAttemptKilledMidwayIsKeptWithoutItsTemporaryFiles() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let folder = world.jobFolder("killed")
        guard case .claimed(let killed) = JobAttempt.claim(jobID: "killed", outputDirectory: world.output) else {
            Issue.record("no claim")
            return
        }
        for (name, text) in [("stdout.log", "half a log"), (".stdout.log.tail", "ring"), (".result.json.tmp-7", "{")] {
            try put(folder + "/" + name, text)
        }
        killed.release()  // as the kernel does when the agent dies
        let completion = world.pipeline.run(
            environment: world.environment("killed"), stages: FakeStages(world: world, log: StageLog()))
        #expect(completion.result.attempt == 2)
        #expect(world.names(folder + "/attempts/1") == ["stdout.log"])
        #expect(!world.names(folder).contains(".stdout.log.tail"))
        #expect(!world.names(folder).contains(".result.json.tmp-7"))
    }

    @Test func aFolderOfAnEarlierAgentVersionBecomesAttemptOne() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let folder = world.jobFolder("legacy")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try put(folder + "/result.json", #"{"status": "failed"}"#)
        try put(folder + "/stdout.log", "old log")
        let completion = world.pipeline.run(
            environment: world.environment("legacy"), stages: FakeStages(world: world, log: StageLog()))
        #expect(completion.result.attempt == 2)
        #expect(try world.json(folder + "/attempts/1/result.json")["status"] as? String == "failed")
        #expect(try world.json(folder + "/result.json")["attempt"] as? Int == 2)
    }

    @Test func anUnfinishedMoveResumesIntoTheSameAttempt() throws {
        let world = try PipelineWorld()
        defer { world.remove() }
        let folder = world.jobFolder("resume")
        // Attempt 3 was being moved away when its mover died: stdout.log went, result.json not yet.
        try FileManager.default.createDirectory(atPath: folder + "/attempts/3", withIntermediateDirectories: true)
        try put(folder + "/attempts/3/stdout.log", "log of 3")
        try put(folder + "/result.json", #"{"attempt": 3}"#)
        try put(folder + "/.attempt", "3\n")
        let completion = world.pipeline.run(
            environment: world.environment("resume"), stages: FakeStages(world: world, log: StageLog()))
        #expect(world.names(folder + "/attempts/3") == ["result.json", "stdout.log"])
        #expect(completion.result.attempt == 4)
    }

    @Test(arguments: [
        ([1, 2, 3, 4], 1, [1, 2, 3, 4]),
        ([1, 2, 3, 4], 2, [1, 2, 3]),
        ([4, 1, 3, 2], 3, [1, 2]),
        ([1, 2], 5, []),
        ([], 2, []),
    ])
    func gcRemovesTheOldestAttempts(numbers: [Int], keep: Int, removed: [Int]) {
        #expect(JobAttempt.attemptsToRemove(numbers, keep: keep) == removed)
    }

    @Test(
        arguments: [("1", 1), ("12", 12), ("0", nil), ("01", nil), ("-1", nil), ("x", nil), ("1.json", nil)]
            as [(String, Int?)])
    func attemptFolderNames(name: String, number: Int?) {
        #expect(JobAttempt.attemptNumber(name) == number)
    }

    @Test func gcLeavesARunningJobAlone() throws {
        let world = try PipelineWorld(settings: ["output.keep_attempts": "2"])
        defer { world.remove() }
        for jobID in ["idle", "busy"] {
            for number in 1...4 {
                let completion = world.pipeline.run(
                    environment: world.environment(jobID), stages: FakeStages(world: world, log: StageLog()))
                #expect(
                    completion.result.attempt == number,
                    "\(completion.result.status) \(String(describing: completion.result.error))")
            }
        }
        guard case .claimed(let running) = JobAttempt.claim(jobID: "busy", outputDirectory: world.output) else {
            Issue.record("no claim")
            return
        }
        defer { running.release() }
        let pruning = world.pipeline.pruneAttempts()
        #expect(pruning.removed == ["1", "2"].map { world.jobFolder("idle") + "/attempts/" + $0 })
        #expect(pruning.running == [world.jobFolder("busy")])
        #expect(world.names(world.jobFolder("idle") + "/attempts") == ["3"])
        #expect(world.names(world.jobFolder("busy") + "/attempts") == ["1", "2", "3", "4"])
    }
}
