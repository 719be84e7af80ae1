import ConfigKeys

@testable import AgentConfig

/// Renders a typed configuration back into raw values, one per key, in
/// the spelling the parsers read: lists joined by commas, durations in
/// milliseconds, `unlimited` for no limit. Keys it does not know (a key
/// added later) keep the raw value they had.
enum ConfigRendering {
    static func values(of config: AgentConfiguration, raw: [ConfigKey: SourcedValue]) -> [String: String] {
        func duration(_ value: Duration) -> String {
            let (seconds, attoseconds) = value.components
            return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
        }
        func limit(_ value: UInt64?) -> String { value.map(String.init) ?? "unlimited" }
        func list(_ items: [String]) -> String { items.joined(separator: ",") }
        let source = config.source
        var rendered: [String: String] = [:]
        for key in ConfigKey.all { rendered[key.name] = raw[key]?.value ?? key.defaultValue }
        let typed: [ConfigKey: String] = [
            .repoURL: config.repository.url, .repoRef: config.repository.ref,
            .cacheDir: config.cacheDirectory, .workDir: config.workDirectory, .outputDir: config.outputDirectory,
            .scriptsDir: config.scripts.directory, .scriptsExtensions: list(config.scripts.extensions),
            .interpreterPs1: (config.scripts.interpreters["ps1"] ?? []).joined(separator: " "),
            .interpreterPy: (config.scripts.interpreters["py"] ?? []).joined(separator: " "),
            .interpreterSh: (config.scripts.interpreters["sh"] ?? []).joined(separator: " "),
            .policyAllowedRepos: list(config.policy.allowedRepos), .policyAllowedRefs: list(config.policy.allowedRefs),
            .policyRequirePinnedCommit: "\(config.policy.requirePinnedCommit)",
            .policyAllowedScripts: list(config.policy.allowedScripts),
            .runUser: config.run.user, .runTimeout: duration(config.run.timeout),
            .runKillGrace: duration(config.run.killGrace),
            .runPath: config.run.path, .envPassthrough: list(config.run.passthrough),
            .limitsCPUSeconds: limit(config.limits.cpuSeconds), .limitsMemoryBytes: limit(config.limits.memoryBytes),
            .limitsProcesses: limit(config.limits.processes), .limitsOpenFiles: limit(config.limits.openFiles),
            .limitsFileBytes: limit(config.limits.fileBytes),
            .sandboxReadPaths: list(config.sandbox.readPaths), .sandboxNetwork: config.sandbox.network.rawValue,
            .sandboxRequire: list(config.sandbox.require.map(\.rawValue)),
            .artifactsCompression: config.compression.rawValue,
            .artifactsLevel: config.artifacts.level.map(String.init) ?? "",
            .artifactsThreads: String(config.artifacts.threads),
            .artifactsMaxBytes: String(config.artifacts.maximumBytes ?? 0),
            .artifactsMaxFiles: String(config.artifacts.maximumFiles ?? 0),
            .artifactsScanSecrets: config.artifacts.scanSecrets.rawValue,
            .outputOwner: config.output.owner.map { "\($0.uid):\($0.gid)" } ?? "",
            .outputFormat: config.output.format.rawValue,
            .outputMaxLogBytes: String(config.output.maximumLogBytes ?? 0),
            .secretsDir: list(config.secrets.directories), .secretsExpose: config.secrets.expose.rawValue,
            .secretsEnvPrefix: config.secrets.environmentPrefix, .secretsAllow: list(config.secrets.allow),
            .secretsFilesDir: config.secrets.filesDirectory,
            .repoFetchTimeout: duration(source.fetchTimeout), .repoFetchAttempts: String(source.fetchAttempts),
            .repoTokenFile: source.tokenFile ?? "", .repoSSHKeyFile: source.sshKeyFile ?? "",
            .repoSSHKnownHosts: source.sshKnownHosts ?? "", .repoCAFile: source.caFile ?? "",
            .repoSubmodules: source.submodules.rawValue, .cacheLockTimeout: duration(source.lockTimeout),
            .cacheKeepDays: String(source.keepDays), .cacheMaxBytes: String(source.maxBytes),
            .policyRequireAncestorOf: source.requireAncestorOf ?? "",
            .policyVerifySignatures: source.verifySignatures.rawValue,
            .policyAllowedSigners: source.allowedSigners ?? "", .policyGPGKeyring: source.gpgKeyring ?? "",
            .policyImmutableTags: "\(source.immutableTags)",
            .reportURL: config.report.url ?? "", .reportTokenFile: config.report.tokenFile ?? "",
            .reportAttempts: String(config.report.attempts), .reportTimeout: duration(config.report.timeout),
            .reportCAFile: config.report.caFile ?? "",
        ]
        for (key, value) in typed { rendered[key.name] = value }
        return rendered
    }
}
