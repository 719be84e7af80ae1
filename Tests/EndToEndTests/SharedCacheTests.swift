import Foundation
import TestSupport
import Testing

/// Several real agents on one shared cache.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SharedCacheEndToEndTests {
    @Test func fourAgentsAtOnceOnOneEmptyCacheAllSucceedWithOneCheckout() async throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["hello.sh": "echo hello from $JOB_ID\n"])
        let outputs = try await withThrowingTaskGroup(of: Command.Output.self) { group in
            for index in 1...4 {
                group.addTask {
                    try world.agent(
                        job: ["JOB_ID": "job-\(index)", "SCRIPT_ID": "hello"], settings: ["repo.ref": commit])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for output in outputs { #expect(output.status == 0, "\(output.stderr)") }
        var written = 0
        for index in 1...4 {
            try world.validateResult("job-\(index)")
            let source = try #require(try world.result("job-\(index)")["source"] as? [String: Any])
            if source["checkout_reused"] as? Bool == false { written += 1 }
        }
        #expect(written == 1, "exactly one agent wrote the checkout")
        let names = try FileManager.default.contentsOfDirectory(atPath: world.cache + "/checkouts")
        #expect(
            names.sorted() == [commit, commit + ".complete", commit + ".lock"], "no torn or temporary checkout left")
    }

    @Test func lockHeldPastTheTimeoutIsStatusBusyAndExitCode75() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["hello.sh": "echo hello\n"])
        try FileManager.default.createDirectory(atPath: world.cache + "/checkouts", withIntermediateDirectories: true)
        let fd = open(world.cache + "/checkouts/\(commit).lock", O_RDWR | O_CREAT, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let run = try world.agent(
            job: ["JOB_ID": "busy-1", "SCRIPT_ID": "hello"], settings: ["repo.ref": commit, "cache.lock_timeout": "1s"])
        #expect(run.status == 75, "\(run.stderr)")
        try world.validateResult("busy-1")
        let result = try world.result("busy-1")
        #expect(result["status"] as? String == "busy")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "cache_busy")
        #expect((error["message"] as? String)?.contains("cache.lock_timeout") == true)
    }
}
