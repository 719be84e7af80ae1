/// Layers the sources of configuration: flag > environment > file > built-in default.
///
/// ```swift
/// let values = try ConfigLayers.merge(file: fileValues, environment: env, flags: ["run.timeout": "5m"])
/// values[.runTimeout]?.source   // .flag
/// ```
public enum ConfigLayers {
    public static func merge(
        file: [String: SourcedValue],
        environment: [String: String],
        flags: [String: String]
    ) throws(ConfigError) -> [ConfigKey: SourcedValue] {
        for name in flags.keys where ConfigKey.named(name) == nil {
            throw .unknownKey(key: name, source: .flag)
        }
        var merged: [ConfigKey: SourcedValue] = [:]
        for key in ConfigKey.all {
            if let value = flags[key.name] {
                merged[key] = SourcedValue(value, from: .flag)
            } else if let value = environment[key.environmentName] {
                merged[key] = SourcedValue(value, from: .environment(name: key.environmentName))
            } else if let value = file[key.name] {
                merged[key] = value
            } else {
                merged[key] = SourcedValue(key.defaultValue, from: .builtInDefault)
            }
        }
        return merged
    }

    /// Splits `--set key=value` arguments into a dictionary; later ones win.
    public static func parseFlags(_ assignments: [String]) throws(ConfigError) -> [String: String] {
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
