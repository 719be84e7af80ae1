/// The look of the live stream on the agent's stdout and stderr.
public enum OutputFormatSetting: String, Sendable, CaseIterable {
    case plain, timestamped, json
}

/// The `output.*` keys about logs and the live stream, validated.
///
/// ```swift
/// config.output.format          // .plain
/// config.output.maximumLogBytes // 1048576, or nil for no cap
/// ```
public struct OutputSettings: Sendable, Equatable {
    public var format: OutputFormatSetting
    /// Cap of each log file; `nil` when `output.max_log_bytes` is 0.
    public var maximumLogBytes: Int?

    init(_ parser: ConfigValueParser) throws(ConfigError) {
        format = try parser.choice(.outputFormat, as: OutputFormatSetting.self)
        let cap = try parser.byteSize(.outputMaxLogBytes)
        guard cap == 0 || cap >= 1024 else {
            throw parser.invalid(.outputMaxLogBytes, expected: "0 (no cap) or at least 1KiB")
        }
        maximumLogBytes = cap == 0 ? nil : cap
    }
}
