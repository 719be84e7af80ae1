import AgentSystem

/// What a secret found in an artifact does.
package enum SecretScanSetting: String, Sendable, CaseIterable {
    case off, warn, fail
}

/// The `artifacts.*` keys beyond compression, validated.
///
/// ```swift
/// config.artifacts.level          // 3, or nil for the filter's default
/// config.artifacts.maximumBytes   // 2147483648, or nil for no limit
/// ```
package struct ArtifactSettings: Sendable, Equatable {
    package var level: Int?
    /// zstd worker threads (resolved: 0 became the CPU count).
    package var threads: Int
    package var maximumBytes: Int?
    package var maximumFiles: Int?
    package var scanSecrets: SecretScanSetting

    init(_ parser: ConfigValueParser) throws(ConfigError) {
        let level = parser.string(.artifactsLevel)
        if level.isEmpty {
            self.level = nil
        } else {
            guard let number: Int = ConfigValueParser.decimal(Substring(level)), (0...22).contains(number) else {
                throw parser.invalid(.artifactsLevel, expected: "a level from 0 to 22, or empty")
            }
            self.level = number
        }
        guard let threads: Int = ConfigValueParser.decimal(Substring(parser.string(.artifactsThreads))),
            (0...256).contains(threads)
        else {
            throw parser.invalid(.artifactsThreads, expected: "a thread count from 0 (one per CPU) to 256")
        }
        self.threads = threads == 0 ? Machine.onlineProcessors : threads
        let bytes = try parser.byteSize(.artifactsMaxBytes)
        maximumBytes = bytes == 0 ? nil : bytes
        guard let files: Int = ConfigValueParser.decimal(Substring(parser.string(.artifactsMaxFiles))) else {
            throw parser.invalid(.artifactsMaxFiles, expected: "a count, 0 for no limit")
        }
        maximumFiles = files == 0 ? nil : files
        scanSecrets = try parser.choice(.artifactsScanSecrets, as: SecretScanSetting.self)
    }
}
