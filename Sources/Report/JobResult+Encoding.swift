import FoundationEssentials

// Encoded by hand so that every key is always present (null when unknown):
// readers can rely on the shape that docs/result.schema.json describes.

extension JobResult: Encodable {
    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", jobID = "job_id", scriptID = "script_id", status
        case exitCode = "exit_code", signal, repository, ref, commit, script, argv, user, sandbox
        case startedAt = "started_at", finishedAt = "finished_at", durationsMilliseconds = "durations_ms"
        case artifacts, agentVersion = "agent_version", agentExitCode = "agent_exit_code", error
        case logs, report
        case source, attempt, reproducibility, integrity
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(scriptID, forKey: .scriptID)
        try container.encode(status, forKey: .status)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(signal, forKey: .signal)
        try container.encode(repository, forKey: .repository)
        try container.encode(ref, forKey: .ref)
        try container.encode(commit, forKey: .commit)
        try container.encode(script, forKey: .script)
        try container.encode(argv, forKey: .argv)
        try container.encode(user, forKey: .user)
        try container.encode(sandbox, forKey: .sandbox)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(durationsMilliseconds, forKey: .durationsMilliseconds)
        try container.encode(artifacts, forKey: .artifacts)
        try container.encode(agentVersion, forKey: .agentVersion)
        try container.encode(agentExitCode, forKey: .agentExitCode)
        try container.encode(error, forKey: .error)
        try container.encode(logs, forKey: .logs)
        try container.encode(source, forKey: .source)
        try container.encode(report, forKey: .report)
        try container.encode(reproducibility, forKey: .reproducibility)
        try container.encode(integrity, forKey: .integrity)
    }
}

extension JobResult.User: Encodable {
    enum CodingKeys: String, CodingKey { case uid, gid, groups, name }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uid, forKey: .uid)
        try container.encode(gid, forKey: .gid)
        try container.encode(groups, forKey: .groups)
        try container.encode(name, forKey: .name)
    }
}

extension JobResult.Durations: Encodable {
    enum CodingKeys: String, CodingKey { case fetch, checkout, run, archive }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fetch, forKey: .fetch)
        try container.encode(checkout, forKey: .checkout)
        try container.encode(run, forKey: .run)
        try container.encode(archive, forKey: .archive)
    }
}

extension JobError: Encodable {
    enum CodingKeys: String, CodingKey { case code, message, rule }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code.rawValue, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(rule?.description, forKey: .rule)
    }
}

extension JobResult {
    /// Pretty-printed JSON with keys in a stable order, ending in a newline.
    package func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
    }
}
