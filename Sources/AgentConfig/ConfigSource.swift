/// Where a configuration value came from, so an error can point at it.
package enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case builtInDefault
    case file(path: String, line: Int)
    case environment(name: String)
    case flag

    package var description: String {
        switch self {
        case .builtInDefault: "the built-in default"
        case .file(let path, let line): "\(path):\(line)"
        case .environment(let name): "environment variable \(name)"
        case .flag: "--set"
        }
    }
}

/// A raw string value and where it came from.
package struct SourcedValue: Sendable, Equatable {
    package var value: String
    package var source: ConfigSource

    package init(_ value: String, from source: ConfigSource) {
        self.value = value
        self.source = source
    }
}
