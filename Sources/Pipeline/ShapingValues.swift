import AgentConfig
import ConfigKeys
import GitSource
import Report

/// The configuration values that shape what a job runs and what it
/// produces, as `result.json`'s `reproducibility.configuration` records
/// them and `sf-agent replay` compares them.
///
/// In: the repository, where scripts are found and what runs them, the run
/// user, `PATH` and passed variables, the time limit, the rlimits, the
/// sandbox, and how the artifacts are archived. Out: what cannot change the
/// outcome of a run that was allowed (policy, credentials, the cache, the
/// folders, logging, reporting, zstd threads — the bytes are the same for
/// any number), and `repo.ref` (a replay runs the recorded commit).
package enum ShapingValues {
    /// The keys recorded, in the order of ``ConfigKey/all``.
    package static let keys: [ConfigKey] = [
        .repoURL, .scriptsDir, .scriptsExtensions, .interpreterPs1, .interpreterPy, .interpreterSh,
        .runUser, .runTimeout, .runPath, .envPassthrough,
        .limitsCPUSeconds, .limitsMemoryBytes, .limitsProcesses, .limitsOpenFiles, .limitsFileBytes,
        .sandboxReadPaths, .sandboxWritePaths, .sandboxShm, .sandboxShmSize, .sandboxNetwork,
        .artifactsCompression, .artifactsLevel, .artifactsMaxBytes, .artifactsMaxFiles, .artifactsScanSecrets,
    ]

    /// The values of ``keys`` as `configuration` holds them (validated and
    /// typed, so `1h` and `3600s` are one value), credentials stripped from the URL.
    package static func of(_ configuration: AgentConfiguration) -> JobResult.ShapingConfiguration {
        func list(_ values: [String]) -> String { values.joined(separator: ",") }
        func limit(_ value: UInt64?) -> String { value.map(String.init) ?? "unlimited" }
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "" }
        func duration(_ value: Duration) -> String {
            let milliseconds = value.components.seconds * 1000 + value.components.attoseconds / 1_000_000_000_000_000
            return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
        }
        let interpreters = configuration.scripts.interpreters
        let values: [ConfigKey: String] = [
            .repoURL: RepositoryURL.redacted(configuration.repository.url),
            .scriptsDir: configuration.scripts.directory,
            .scriptsExtensions: list(configuration.scripts.extensions),
            .interpreterPs1: (interpreters["ps1"] ?? []).joined(separator: " "),
            .interpreterPy: (interpreters["py"] ?? []).joined(separator: " "),
            .interpreterSh: (interpreters["sh"] ?? []).joined(separator: " "),
            .runUser: configuration.run.user,
            .runTimeout: duration(configuration.run.timeout),
            .runPath: configuration.run.path,
            .envPassthrough: list(configuration.run.passthrough),
            .limitsCPUSeconds: limit(configuration.limits.cpuSeconds),
            .limitsMemoryBytes: limit(configuration.limits.memoryBytes),
            .limitsProcesses: limit(configuration.limits.processes),
            .limitsOpenFiles: limit(configuration.limits.openFiles),
            .limitsFileBytes: limit(configuration.limits.fileBytes),
            .sandboxReadPaths: list(configuration.sandbox.readPaths),
            .sandboxWritePaths: list(configuration.sandbox.writePaths),
            .sandboxShm: configuration.sandbox.shm.rawValue,
            .sandboxShmSize: String(configuration.sandbox.shmBytes),
            .sandboxNetwork: configuration.sandbox.network.rawValue,
            .artifactsCompression: configuration.compression.rawValue,
            .artifactsLevel: optional(configuration.artifacts.level),
            .artifactsMaxBytes: optional(configuration.artifacts.maximumBytes),
            .artifactsMaxFiles: optional(configuration.artifacts.maximumFiles),
            .artifactsScanSecrets: configuration.artifacts.scanSecrets.rawValue,
        ]
        return JobResult.ShapingConfiguration(
            values: Dictionary(uniqueKeysWithValues: keys.map { ($0.name, values[$0] ?? "") }))
    }
}
