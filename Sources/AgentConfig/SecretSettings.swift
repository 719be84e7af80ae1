/// How a script receives secrets: as environment variables or as files.
package enum SecretExposeSetting: String, Sendable, CaseIterable {
    case env, files
}

/// The `secrets.*` keys, validated.
///
/// ```swift
/// config.secrets.directories   // ["/run/secrets", "/vault/secrets"]
/// config.secrets.expose        // .env
/// ```
package struct SecretSettings: Sendable, Equatable {
    /// Directories whose files are secrets.
    package var directories: [String]
    package var expose: SecretExposeSetting
    /// Prefix of each secret's variable name.
    package var environmentPrefix: String
    /// `SCRIPT_GLOB:SECRET_GLOB` rules; empty gives every secret to every script.
    package var allow: [String]
    /// Parent of each job's private secrets folder.
    package var filesDirectory: String

    init(_ parser: ConfigValueParser) throws(ConfigError) {
        directories = parser.list(.secretsDir)
        guard directories.allSatisfy({ $0.hasPrefix("/") && !$0.contains("\0") }) else {
            throw parser.invalid(.secretsDir, expected: "absolute directory paths, comma-separated")
        }
        expose = try parser.choice(.secretsExpose, as: SecretExposeSetting.self)
        environmentPrefix = parser.string(.secretsEnvPrefix)
        guard environmentPrefix.isEmpty || AgentConfiguration.isEnvironmentName(environmentPrefix) else {
            throw parser.invalid(
                .secretsEnvPrefix, expected: "the start of an environment variable name ([A-Za-z_][A-Za-z0-9_]*)")
        }
        allow = parser.list(.secretsAllow)
        for rule in allow {
            let parts = rule.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw parser.invalid(.secretsAllow, expected: "SCRIPT_GLOB:SECRET_GLOB rules such as deploy/*:db_*")
            }
        }
        filesDirectory = try parser.absolutePath(.secretsFilesDir)
    }
}
