import Foundation
import TestSupport
import Testing

extension AgentWorld {
    /// `setpriv` in front of the binary: the agent starts as uid 10001 with
    /// no groups and no capabilities (Kubernetes `runAsNonRoot`).
    static let nonRootLauncher = ["/usr/bin/setpriv", "--reuid=10001", "--regid=10001", "--clear-groups", "--"]

    /// Gives the cache, work and output folders to uid 10001, for a non-root agent.
    func prepareForNonRootAgent() throws {
        for directory in [cache, work, output] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Command.check("/bin/chown", ["10001:10001", directory])
        }
    }

    /// Writes `contents` at `relative` under the world's root (mode 0644):
    /// a file outside every path the script is given.
    @discardableResult
    func plant(_ relative: String, _ contents: String, mode: Int16 = 0o644) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode_t(mode))
        return path
    }

    /// Starts `sf-agent run` without waiting (output to /dev/null); the
    /// caller waits. `unset` drops keys of the usual settings so that their
    /// built-in default applies.
    func startAgent(
        job: [String: String], settings: [String: String] = [:], launcher: [String] = [], unset: Set<String> = []
    ) throws -> RunningCommand {
        var base = [
            "repo.url": repository, "cache.dir": cache, "work.dir": work, "output.dir": output,
            "policy.allowed_scripts": "*,*/*", "run.user": "runner", "run.timeout": "2m", "run.kill_grace": "2s",
        ]
        base.merge(settings) { $1 }
        for key in unset { base[key] = nil }
        _ = FileManager.default.createFile(atPath: root + "/agent.conf", contents: Data())
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "SF_CONFIG": root + "/agent.conf"]
        environment.merge(job) { $1 }
        let argv =
            launcher + [Self.agentBinary, "run"]
            + base.sorted { $0.key < $1.key }.flatMap { ["--set", "\($0.key)=\($0.value)"] }
        return try Command.start(argv[0], Array(argv.dropFirst()), environment: environment)
    }

    /// Waits until `path` exists, at most `seconds`.
    func waitFor(_ path: String, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(50_000)
        }
        return false
    }

    /// Pids of living processes whose environment holds `JOB_ID=<jobID>`.
    static func processes(ofJob jobID: String) -> [Int32] {
        let needle = Array("JOB_ID=\(jobID)\0".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            let bytes = [UInt8](data)
            guard bytes.count >= needle.count else { return false }
            return (0...(bytes.count - needle.count)).contains { start in
                (start == 0 || bytes[start - 1] == 0) && bytes[start..<(start + needle.count)].elementsEqual(needle)
            }
        }
    }

    /// Whether the marker script ran for `jobID`: it prints `ran-<JOB_ID>`.
    func scriptRan(_ jobID: String) -> Bool {
        ((try? readOutput(jobID, "stdout.log")) ?? "").contains("ran-\(jobID)")
    }

    /// The job's result's `sandbox` object.
    func sandbox(_ jobID: String) throws -> [String: Any] {
        try #require(try result(jobID)["sandbox"] as? [String: Any])
    }
}
