import Foundation
import TestSupport
import Testing

/// A private world for one end-to-end test: a real git repository of
/// scripts, a cache, work and output folders, and the real `sf-agent` binary.
struct AgentWorld {
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path

    /// The binary under test: $SF_AGENT_BINARY (set by `make test`), else the debug build.
    static var agentBinary: String {
        ProcessInfo.processInfo.environment["SF_AGENT_BINARY"] ?? projectRoot + "/.build/debug/sf-agent"
    }

    let root: String
    var repository: String { root + "/repo" }
    var cache: String { root + "/cache" }
    var work: String { root + "/work" }
    var output: String { root + "/output" }
    /// A world-writable folder where hostile scripts leave evidence.
    var markers: String { root + "/markers" }

    init() throws {
        root = try FixtureTools.temporaryDirectory("sf-e2e")
        for directory in [repository, markers] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        chmod(markers, 0o1777)
        try git("init", "-q", "-b", "main")
    }

    func remove() {
        FixtureTools.removeTree(root)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        try FixtureGit.run(["-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments, in: repository)
    }

    /// Writes files (path → contents) into the repository and commits them; returns the commit id.
    @discardableResult
    func commit(_ files: [String: String], executable: Bool = false, message: String = "scripts") throws -> String {
        for (path, contents) in files {
            let url = URL(fileURLWithPath: repository + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
            if executable { chmod(url.path, 0o755) }
        }
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// Runs `sf-agent <command>` with a job in its environment and settings as
    /// `--set`, or in the configuration file for the keys of `configuration`
    /// (so that a value stays out of every argv); `launcher` (such as
    /// `setpriv …`) goes in front of the binary; `arguments` follow the
    /// command (`verify DIR`).
    func agent(
        _ command: String = "run", _ arguments: [String] = [], job: [String: String], settings: [String: String] = [:],
        configuration: [String: String] = [:], launcher: [String] = [], unset: Set<String> = []
    ) throws -> Command.Output {
        var base = [
            "repo.url": repository, "cache.dir": cache, "work.dir": work, "output.dir": output,
            "policy.allowed_scripts": "*,*/*", "run.user": "runner", "run.timeout": "2m", "run.kill_grace": "2s",
        ]
        base.merge(settings) { $1 }
        for key in unset { base[key] = nil }
        let flags = base.filter { configuration[$0.key] == nil }.sorted { $0.key < $1.key }.flatMap {
            ["--set", "\($0.key)=\($0.value)"]
        }
        // Its own configuration file, so a host's /etc/sf-agent/agent.conf cannot interfere.
        let file = configuration.map { "\($0.key) = \"\($0.value)\"\n" }.joined()
        let mode = configuration.isEmpty ? 0o644 : 0o600  // A non-root agent reads an empty one too.
        _ = FileManager.default.createFile(
            atPath: root + "/agent.conf", contents: Data(file.utf8), attributes: [.posixPermissions: mode])
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "SF_CONFIG": root + "/agent.conf"]
        environment.merge(job) { $1 }
        let argv = launcher + [Self.agentBinary, command] + arguments + flags
        return try Command.run(argv[0], Array(argv.dropFirst()), environment: environment)
    }

    func outputFolder(_ jobID: String) -> String { output + "/" + jobID }

    /// The job's result.json, parsed.
    func result(_ jobID: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: outputFolder(jobID) + "/result.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Validates the job's result.json against docs/result.schema.json with
    /// the Python `jsonschema` package (an independent implementation).
    func validateResult(_ jobID: String) throws {
        try validate(file: outputFolder(jobID) + "/result.json")
    }

    /// Validates a file in result.json's format (an earlier attempt's, a
    /// duplicate's refusal) against docs/result.schema.json.
    func validate(file: String) throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))
            """
        try Command.check("/usr/bin/python3", ["-c", script, Self.projectRoot + "/docs/result.schema.json", file])
    }

    func readOutput(_ jobID: String, _ name: String) throws -> String {
        try String(contentsOfFile: outputFolder(jobID) + "/" + name, encoding: .utf8)
    }

    /// Extracts the job's artifacts archive with GNU tar into a fresh folder.
    func extractArtifacts(_ jobID: String, file: String = "artifacts.tar.gz") throws -> String {
        let destination = root + "/extracted-" + jobID
        try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        try Command.check("/usr/bin/tar", ["-xf", outputFolder(jobID) + "/" + file, "-C", destination])
        return destination
    }

    /// `tar -tf` of the archive, sorted, without trailing slashes.
    func listArtifacts(_ jobID: String, file: String = "artifacts.tar.gz") throws -> [String] {
        try Command.check("/usr/bin/tar", ["-tf", outputFolder(jobID) + "/" + file])
            .split(separator: "\n").map { String($0.hasSuffix("/") ? $0.dropLast() : $0) }.sorted()
    }
}
