/// The look of the live stream on the agent's stdout and stderr.
package enum OutputFormatSetting: String, Sendable, CaseIterable {
    case plain, timestamped, json
}

/// The `output.*` keys about logs and the live stream, validated.
///
/// ```swift
/// config.output.format          // .plain
/// config.output.maximumLogBytes // 1048576, or nil for no cap
/// ```
package struct OutputSettings: Sendable, Equatable {
    package var format: OutputFormatSetting
    /// Cap of each log file; `nil` when `output.max_log_bytes` is 0.
    package var maximumLogBytes: Int?
    /// Owner given the job's output folder and files.
    package var owner: (uid: UInt32, gid: UInt32)?
    /// Attempts of a `JOB_ID` that `sf-agent gc` keeps, the latest
    /// included; nil keeps every attempt (`output.keep_attempts = 0`).
    package var keepAttempts: Int?

    package static func == (lhs: OutputSettings, rhs: OutputSettings) -> Bool {
        lhs.format == rhs.format && lhs.maximumLogBytes == rhs.maximumLogBytes
            && lhs.owner?.uid == rhs.owner?.uid && lhs.owner?.gid == rhs.owner?.gid
            && lhs.keepAttempts == rhs.keepAttempts
    }

    init(_ parser: ConfigValueParser) throws(ConfigError) {
        format = try parser.choice(.outputFormat, as: OutputFormatSetting.self)
        let cap = try parser.byteSize(.outputMaxLogBytes)
        guard cap == 0 || cap >= 1024 else {
            throw parser.invalid(.outputMaxLogBytes, expected: "0 (no cap) or at least 1KiB")
        }
        maximumLogBytes = cap == 0 ? nil : cap
        guard let keep = Int(parser.string(.outputKeepAttempts)), keep >= 0 else {
            throw parser.invalid(.outputKeepAttempts, expected: "a whole number: 0 keeps every attempt, N the latest N")
        }
        keepAttempts = keep == 0 ? nil : keep
        let owner = parser.string(.outputOwner)
        if owner.isEmpty {
            self.owner = nil
        } else {
            let parts = owner.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let uid: UInt32 = ConfigValueParser.decimal(parts[0]),
                let gid: UInt32 = ConfigValueParser.decimal(parts[1])
            else {
                throw parser.invalid(.outputOwner, expected: "uid:gid in decimal, such as 1000:1000")
            }
            self.owner = (uid, gid)
        }
    }
}
