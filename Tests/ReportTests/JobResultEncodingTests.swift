import AgentSystem
import Foundation
import TestSupport
import Testing

@testable import Report

@Suite struct JobResultEncodingTests {
    func decode(_ result: JobResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(try result.jsonBytes()))
        return try #require(object as? [String: Any])
    }

    @Test func everyKeyIsPresentEvenWhenNull() throws {
        let result = JobResult(
            jobID: "j-1", scriptID: nil, status: .rejected, startedAt: "2026-11-29T12:00:00.000Z",
            finishedAt: "2026-11-29T12:00:01.000Z", agentVersion: "0.1.0", agentExitCode: 77,
            error: JobError(.invalidJob, "PARAMETERS: must be a JSON object."))
        let json = try decode(result)
        #expect(
            Set(json.keys) == [
                "schema_version", "job_id", "attempt", "script_id", "status", "exit_code", "signal", "repository",
                "ref", "commit",
                "script", "argv", "user", "sandbox", "started_at", "finished_at", "durations_ms", "artifacts",
                "agent_version",
                "agent_exit_code", "error", "logs", "source", "report", "reproducibility", "integrity",
            ])
        #expect(json["script_id"] is NSNull)
        #expect(json["sandbox"] is NSNull)
        #expect(json["status"] as? String == "rejected")
        #expect(json["schema_version"] as? Int == 1)
        let error = try #require(json["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_job")
        #expect(error["rule"] is NSNull)
    }

    @Test func fullResult() throws {
        let result = JobResult(
            jobID: "j-2", scriptID: "deploy/web", status: .failed, exitCode: 3, signal: nil,
            repository: "git://127.0.0.1/scripts", ref: "main", commit: String(repeating: "a", count: 40),
            script: .init(path: "deploy/web.sh", sha256: String(repeating: "b", count: 64)),
            argv: ["/usr/bin/bash", "/c/deploy/web.sh", "--host", "a b"],
            user: .init(uid: 10001, gid: 10001, groups: [10001], name: "runner"),
            startedAt: "s", finishedAt: "f", durationsMilliseconds: .init(fetch: 1, checkout: 2, run: 3, archive: 4),
            artifacts: .init(
                file: "artifacts.tar.gz", bytes: 10, sha256: String(repeating: "c", count: 64), entries: 2, skipped: []),
            agentVersion: "0.1.0", agentExitCode: 3)
        let json = try decode(result)
        #expect(json["exit_code"] as? Int == 3)
        #expect(json["argv"] as? [String] == ["/usr/bin/bash", "/c/deploy/web.sh", "--host", "a b"])
        #expect((json["user"] as? [String: Any])?["groups"] as? [Int] == [10001])
        #expect((json["durations_ms"] as? [String: Int]) == ["fetch": 1, "checkout": 2, "run": 3, "archive": 4])
        #expect((json["artifacts"] as? [String: Any])?["entries"] as? Int == 2)
        #expect(json["error"] is NSNull)
        let text = String(decoding: try result.jsonBytes(), as: UTF8.self)
        #expect(text.contains("git://127.0.0.1/scripts"), "slashes are not escaped")
        #expect(text.hasSuffix("}\n"))
    }

    @Test func statusAndExitCodeFollowTheErrorCode() {
        let table: [(JobError.Code, JobStatus, Int32)] = [
            (.invalidJob, .rejected, 77), (.policyViolation, .rejected, 77), (.scriptNotFound, .rejected, 77),
            (.scriptRefused, .rejected, 77), (.sandboxUnavailable, .rejected, 77), (.configError, .error, 78),
            (.sourceError, .error, 69),
            (.launchError, .error, 71), (.outputError, .error, 74), (.artifactsRejected, .error, 74),
            (.internalError, .error, 70),
            (.timedOut, .timedOut, 124), (.cancelled, .cancelled, 125), (.cacheBusy, .busy, 75),
            (.jobInProgress, .duplicate, 73),
        ]
        for (code, status, exit) in table {
            #expect(code.status == status, "\(code)")
            #expect(code.exitCode.rawValue == exit, "\(code)")
        }
        #expect(table.count == JobError.Code.allCases.count)
    }

    @Test func sandboxIsEncodedWithEveryKey() throws {
        let sandbox = JobResult.Sandbox(
            uid: 10001, gid: 10001, groups: [10001], noNewPrivs: true,
            landlock: .init(abi: 7, enforced: true, tcp: true, scoped: true), network: "namespace", seccomp: true,
            sockets: "netlink_only",
            rlimits: .init(cpuSeconds: 3600, memoryBytes: 8 << 30, processes: 512, openFiles: 1024, fileBytes: nil),
            containment: "pid_namespace", userNamespace: false, sharedMemory: "private")
        let result = JobResult(
            jobID: "j", scriptID: "s", status: .succeeded, exitCode: 0, sandbox: sandbox, startedAt: "a",
            finishedAt: "b", agentVersion: "v", agentExitCode: 0)
        let json = try #require(try decode(result)["sandbox"] as? [String: Any])
        #expect(
            Set(json.keys) == [
                "uid", "gid", "groups", "no_new_privs", "landlock", "network", "seccomp", "sockets", "rlimits",
                "containment",
                "user_namespace", "shm",
            ])
        #expect(json["shm"] as? String == "private")
        #expect(json["containment"] as? String == "pid_namespace")
        #expect(json["user_namespace"] as? Bool == false)
        #expect(json["no_new_privs"] as? Bool == true)
        #expect(json["network"] as? String == "namespace")
        #expect(json["sockets"] as? String == "netlink_only")
        let landlock = try #require(json["landlock"] as? [String: Any])
        #expect(landlock["abi"] as? Int == 7)
        #expect(landlock["enforced"] as? Bool == true)
        let limits = try #require(json["rlimits"] as? [String: Any])
        #expect(limits["memory_bytes"] as? Int == 8 << 30)
        #expect(limits["file_bytes"] is NSNull, "unlimited is null")
        #expect(limits["core_bytes"] as? Int == 0)
    }

    @Test func writerReplacesAtomically() throws {
        let scratch = try TemporaryDirectory("sf-agent-report")
        let directory = scratch.path
        var result = JobResult(
            jobID: "j", scriptID: "s", status: .succeeded, exitCode: 0, startedAt: "a", finishedAt: "b",
            agentVersion: "v", agentExitCode: 0)
        try ResultWriter.write(result, into: directory)
        result.jobID = "j2"
        try ResultWriter.write(result, into: directory)
        #expect(try FileSystem.directoryEntries(directory) == ["result.json"])
        let written = try FileSystem.readFile(Path.join(directory, "result.json"))
        #expect(written == (try result.jsonBytes()))
    }

    @Test func writerFailsWithOutputError() {
        let result = JobResult(
            jobID: "j", scriptID: "s", status: .succeeded, startedAt: "a", finishedAt: "b", agentVersion: "v",
            agentExitCode: 0)
        #expect {
            try ResultWriter.write(result, into: "/nonexistent/folder")
        } throws: { ($0 as? JobError)?.code == .outputError }
    }
}
