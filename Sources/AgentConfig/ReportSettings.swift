import ConfigKeys

/// The `report.*` keys, validated: where the result is POSTed.
///
/// ```swift
/// config.report.url        // "https://ci.example/report", or nil for no report
/// config.report.attempts   // 3
/// ```
package struct ReportSettings: Sendable, Equatable {
    /// `nil` when no report is sent.
    package var url: String?
    /// File whose contents (one trailing newline removed) are the bearer token.
    package var tokenFile: String?
    package var attempts: Int
    package var timeout: Duration
    /// PEM CA bundle for HTTPS instead of the system's.
    package var caFile: String?

    init(_ parser: ConfigValueParser) throws(ConfigError) {
        let url = parser.string(.reportURL)
        guard url.isEmpty || url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw parser.invalid(.reportURL, expected: "an http:// or https:// URL, or empty")
        }
        self.url = url.isEmpty ? nil : url
        tokenFile = try Self.optionalPath(parser, .reportTokenFile)
        guard let attempts: Int = ConfigValueParser.decimal(Substring(parser.string(.reportAttempts))),
            (1...20).contains(attempts)
        else {
            throw parser.invalid(.reportAttempts, expected: "a number of attempts from 1 to 20")
        }
        self.attempts = attempts
        timeout = try parser.duration(.reportTimeout)
        caFile = try Self.optionalPath(parser, .reportCAFile)
    }

    private static func optionalPath(_ parser: ConfigValueParser, _ key: ConfigKey) throws(ConfigError) -> String? {
        let value = parser.string(key)
        if value.isEmpty { return nil }
        return try parser.absolutePath(key)
    }
}
