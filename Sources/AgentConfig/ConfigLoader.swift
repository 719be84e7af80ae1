import AgentSystem

/// Finds, reads and layers the configuration.
///
/// ```swift
/// let config = try ConfigLoader.load(
///     configPath: nil, environment: ProcessEnvironment.current(), flags: ["run.timeout": "5m"])
/// ```
package enum ConfigLoader {
    /// The file read when neither `--config` nor `SF_CONFIG` names one.
    package static let defaultPath = "/etc/sf-agent/agent.conf"

    /// Loads with precedence flag > environment > file > default (the file's
    /// `config.ignore_environment` taking sections out of the environment's
    /// reach; the configuration lists what it ignored). The file is
    /// `configPath`, else `SF_CONFIG`, else ``defaultPath``; a missing
    /// default file is fine, a missing named file is an error.
    package static func load(
        configPath: String?,
        environment: [String: String],
        flags: [String: String]
    ) throws(ConfigError) -> AgentConfiguration {
        let fileValues = try readFile(named: configPath ?? environment["SF_CONFIG"])
        let layered = try ConfigLayers.layer(file: fileValues, environment: environment, flags: flags)
        var configuration = try AgentConfiguration(values: layered.values)
        configuration.environmentLock = layered.lock
        configuration.ignoredVariables = layered.ignored
        return configuration
    }

    static func readFile(named explicitPath: String?) throws(ConfigError) -> [String: SourcedValue] {
        let path = explicitPath ?? defaultPath
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path)
        } catch {
            if error.isNotFound {
                if explicitPath == nil { return [:] }
                throw .fileNotFound(path: path)
            }
            throw .unreadableFile(path: path, reason: error.description)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableFile(path: path, reason: "it is not valid UTF-8")
        }
        return try ConfigFileParser.parse(text, path: path)
    }
}
