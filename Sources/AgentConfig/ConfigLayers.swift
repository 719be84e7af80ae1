import ConfigKeys

/// Layers the sources of configuration: flag > environment > file > built-in default,
/// except that the file's `config.ignore_environment` takes whole sections
/// out of the environment's reach.
///
/// ```swift
/// let values = try ConfigLayers.merge(file: fileValues, environment: env, flags: ["run.timeout": "5m"])
/// values[.runTimeout]?.source   // .flag
/// ```
package enum ConfigLayers {
    /// Every key's value and where it came from, the lock the file set, and
    /// the variables that lock (or a file-only key) made the agent ignore.
    package struct Layered: Sendable, Equatable {
        package var values: [ConfigKey: SourcedValue]
        package var lock: EnvironmentLock
        package var ignored: [IgnoredVariable]
    }

    /// Each key from the first layer that sets it. A variable of a section
    /// the file's lock names, or of a file-only key, is skipped and listed in
    /// ``Layered/ignored``; a file-only key in `flags` is an error. Pure: the
    /// table in `ConfigLayersTests` is its specification.
    package static func layer(
        file: [String: SourcedValue],
        environment: [String: String],
        flags: [String: String]
    ) throws(ConfigError) -> Layered {
        for name in flags.keys {
            guard let key = ConfigKey.named(name) else { throw .unknownKey(key: name, source: .flag) }
            if key.isFileOnly { throw .fileOnlyKey(key: key, source: .flag) }
        }
        let lock = try EnvironmentLock(file: file)
        var layered = Layered(values: [:], lock: lock, ignored: [])
        for key in ConfigKey.all {
            var variable = environment[key.environmentName]
            if variable != nil, lock.ignoresVariable(of: key) {
                layered.ignored.append(IgnoredVariable(key: key, lock: key.isFileOnly ? nil : lock.source))
                variable = nil
            }
            if let value = flags[key.name] {
                layered.values[key] = SourcedValue(value, from: .flag)
            } else if let variable {
                layered.values[key] = SourcedValue(variable, from: .environment(name: key.environmentName))
            } else if let value = file[key.name] {
                layered.values[key] = value
            } else {
                layered.values[key] = SourcedValue(key.defaultValue, from: .builtInDefault)
            }
        }
        return layered
    }

    /// The values of ``layer(file:environment:flags:)``.
    package static func merge(
        file: [String: SourcedValue],
        environment: [String: String],
        flags: [String: String]
    ) throws(ConfigError) -> [ConfigKey: SourcedValue] {
        try layer(file: file, environment: environment, flags: flags).values
    }

    /// Splits `--set key=value` arguments into a dictionary; later ones win.
    package static func parseFlags(_ assignments: [String]) throws(ConfigError) -> [String: String] {
        var flags: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw .invalidValue(key: "--set", value: assignment, source: .flag, expected: "key=value")
            }
            flags[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return flags
    }
}
