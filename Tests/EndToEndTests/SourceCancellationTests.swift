import Foundation
import TestSupport
import Testing

/// SIGTERM while the agent is still getting the scripts (a hung fetch, a
/// wait for another agent's cache lock) ends the job at once as
/// `cancelled`, not when `repo.fetch_timeout` or `cache.lock_timeout` runs out.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SourceCancellationTests {
    @Test func sigtermDuringAHungFetchCancelsAtOnce() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let server = try SilentListener()
        defer { server.close() }
        let jobID = "stop-fetch-\(UUID().uuidString.prefix(8))"
        let agent = try world.startAgent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"],
            settings: [
                "repo.url": "git://127.0.0.1:\(server.port)/scripts", "repo.fetch_timeout": "5m",
                "repo.fetch_attempts": "3",
            ])
        #expect(server.waitForConnection(seconds: 60), "the fetch worker connected")
        let result = try Self.stop(agent, world: world, jobID: jobID)
        let error = try #require(result["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains("told to stop while fetching") == true, "\(error)")
    }

    @Test func sigtermWhileWaitingForTheCacheLockCancelsAtOnce() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["hello.sh": "echo hello\n"])
        let lockPath = world.cache + "/checkouts/\(commit).lock"
        try FileManager.default.createDirectory(atPath: world.cache + "/checkouts", withIntermediateDirectories: true)
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let jobID = "stop-lock-\(UUID().uuidString.prefix(8))"
        let agent = try world.startAgent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"], settings: ["repo.ref": commit, "cache.lock_timeout": "5m"])
        #expect(Self.waitUntil(agent.processIdentifier, opens: lockPath), "the agent waits for the lock")
        _ = try Self.stop(agent, world: world, jobID: jobID)
        #expect(!world.scriptRan(jobID))
    }

    /// Sends SIGTERM; the agent must end `cancelled` (125) long before any
    /// of the five-minute limits, with a valid result, which is returned.
    static func stop(_ agent: RunningCommand, world: AgentWorld, jobID: String) throws -> [String: Any] {
        let stopped = Date()
        kill(agent.processIdentifier, SIGTERM)
        agent.waitUntilExit()
        let elapsed = Date().timeIntervalSince(stopped)
        #expect(agent.terminationStatus == 125)
        #expect(elapsed < 30, "stopped long before the 5-minute limits (\(elapsed) s)")
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "cancelled")
        return result
    }

    /// Waits until process `pid` has `path` open (it is then waiting for the lock).
    static func waitUntil(_ pid: Int32, opens path: String, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            for descriptor in descriptors
            where (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)")) == path
            {
                return true
            }
            usleep(20_000)
        }
        return false
    }
}

/// A TCP port on 127.0.0.1 that accepts connections (in the kernel's
/// backlog) and never answers.
struct SilentListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        (fd, port) = try Loopback.bound(Int32(SOCK_STREAM.rawValue))
        try #require(listen(fd, 8) == 0, "cannot listen on 127.0.0.1:\(port)")
    }

    /// Whether a client connected (a connection waits in the backlog) within `seconds`.
    func waitForConnection(seconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, seconds * 1000) == 1
    }

    func close() { Glibc.close(fd) }
}
