import AgentSystem
import ConfigKeys

/// A configuration that cannot be used, with the file, line or variable to fix.
///
/// ```swift
/// do { _ = try ConfigLayers.layer(file: [:], environment: [:], flags: ["run.timout": "5"]) } catch {
///     print(error.code, error.key ?? "")   // unknownKey run.timout
///     print(error)   // Unknown configuration key `run.timout` in --set; see agent.conf.example for the keys.
/// }
/// ```
package struct ConfigError: AgentError {
    /// What is wrong with the configuration.
    package enum Code: String, Sendable, CaseIterable {
        case fileNotFound, unreadableFile, malformedLine, unknownKey, duplicateKey, inlineComment
        case invalidValue, missingValue, fileOnlyKey
    }

    package var code: Code
    package var message: String
    /// The key at fault, as written (`--set` for a malformed flag), when there is one.
    package var key: String?
    /// The value refused (``Code/invalidValue``).
    package var value: String?
    /// Where the fault is: the file and line, the variable or the flag.
    package var source: ConfigSource?

    package init(
        _ code: Code, key: String? = nil, value: String? = nil, source: ConfigSource? = nil, _ message: String
    ) {
        self.code = code
        self.key = key
        self.value = value
        self.source = source
        self.message = message
    }
}

extension ConfigError {
    package static func fileNotFound(path: String) -> ConfigError {
        ConfigError(
            .fileNotFound,
            "Configuration file \(path) does not exist; create it or point --config / SF_CONFIG at an existing file.")
    }

    package static func unreadableFile(path: String, reason: String) -> ConfigError {
        ConfigError(.unreadableFile, "Cannot read configuration file \(path): \(reason).")
    }

    package static func malformedLine(path: String, line: Int, text: String) -> ConfigError {
        ConfigError(
            .malformedLine, source: .file(path: path, line: line),
            "\(path):\(line): expected `key = value`, a `#` comment or a blank line, found `\(text)`.")
    }

    package static func unknownKey(key: String, source: ConfigSource) -> ConfigError {
        ConfigError(
            .unknownKey, key: key, source: source,
            "Unknown configuration key `\(key)` in \(source); see agent.conf.example for the keys.")
    }

    package static func duplicateKey(key: String, path: String, line: Int, firstLine: Int) -> ConfigError {
        ConfigError(
            .duplicateKey, key: key, source: .file(path: path, line: line),
            "\(path):\(line): key `\(key)` is already set on line \(firstLine); keep one.")
    }

    package static func inlineComment(key: String, path: String, line: Int) -> ConfigError {
        ConfigError(
            .inlineComment, key: key, source: .file(path: path, line: line),
            "\(path):\(line): the value of `\(key)` contains ` #`; comments go on their own line. "
                + "Quote the value if the `#` belongs to it.")
    }

    package static func invalidValue(key: String, value: String, source: ConfigSource, expected: String)
        -> ConfigError
    {
        ConfigError(
            .invalidValue, key: key, value: value, source: source,
            "Invalid value `\(value)` for `\(key)` in \(source): expected \(expected).")
    }

    package static func fileOnlyKey(key: ConfigKey, source: ConfigSource) -> ConfigError {
        ConfigError(
            .fileOnlyKey, key: key.name, source: source,
            "`\(key.name)` can be set in the configuration file only, not with \(source): it decides which SF_* "
                + "variables count. Put `\(key.name) = ...` in agent.conf.")
    }

    package static func missingValue(key: ConfigKey) -> ConfigError {
        ConfigError(
            .missingValue, key: key.name,
            "`\(key.name)` is not set: set it in agent.conf, in \(key.environmentName), or with --set \(key.name)=...")
    }
}
