import ConfigKeys

/// A configuration that cannot be used, with the file, line or variable to fix.
package enum ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    case fileNotFound(path: String)
    case unreadableFile(path: String, reason: String)
    case malformedLine(path: String, line: Int, text: String)
    case unknownKey(key: String, source: ConfigSource)
    case duplicateKey(key: String, path: String, line: Int, firstLine: Int)
    case inlineComment(key: String, path: String, line: Int)
    case invalidValue(key: String, value: String, source: ConfigSource, expected: String)
    case missingValue(key: ConfigKey)
    case fileOnlyKey(key: ConfigKey, source: ConfigSource)

    package var description: String {
        switch self {
        case .fileNotFound(let path):
            "Configuration file \(path) does not exist; create it or point --config / SF_CONFIG at an existing file."
        case .unreadableFile(let path, let reason):
            "Cannot read configuration file \(path): \(reason)."
        case .malformedLine(let path, let line, let text):
            "\(path):\(line): expected `key = value`, a `#` comment or a blank line, found `\(text)`."
        case .unknownKey(let key, let source):
            "Unknown configuration key `\(key)` in \(source); see agent.conf.example for the keys."
        case .duplicateKey(let key, let path, let line, let firstLine):
            "\(path):\(line): key `\(key)` is already set on line \(firstLine); keep one."
        case .inlineComment(let key, let path, let line):
            "\(path):\(line): the value of `\(key)` contains ` #`; comments go on their own line. Quote the value if the `#` belongs to it."
        case .invalidValue(let key, let value, let source, let expected):
            "Invalid value `\(value)` for `\(key)` in \(source): expected \(expected)."
        case .fileOnlyKey(let key, let source):
            "`\(key.name)` can be set in the configuration file only, not with \(source): it decides which SF_* "
                + "variables count. Put `\(key.name) = ...` in agent.conf."
        case .missingValue(let key):
            "`\(key.name)` is not set: set it in agent.conf, in \(key.environmentName), or with --set \(key.name)=..."
        }
    }
}
