import ConfigKeys

/// `config.ignore_environment`: the sections of keys whose `SF_*` variables
/// the agent ignores, so that the configuration file (and the command line,
/// which is the operator's too) decides them.
///
/// The key itself is read from the file only: its own variable
/// (`SF_CONFIG_IGNORE_ENVIRONMENT`) is always ignored and `--set` refuses it.
///
/// ```swift
/// let lock = try EnvironmentLock(file: ["config.ignore_environment": SourcedValue("policy, sandbox", from: .file(path: "f", line: 1))])
/// lock.ignoresVariable(of: .policyAllowedScripts)   // true
/// lock.ignoresVariable(of: .repoRef)                // false
/// ```
package struct EnvironmentLock: Sendable, Equatable {
    /// What locks every section.
    package static let everySection = "*"

    /// The sections named (`policy`, `sandbox`, … or ``everySection``).
    package var sections: [String]
    /// Where the file sets the lock; nil when it does not.
    package var source: ConfigSource?

    /// No lock: every `SF_*` variable counts (the file-only key's excepted).
    package init() {
        sections = []
        source = nil
    }

    /// The lock the file's values set. Throws when it names a section no key has.
    package init(file: [String: SourcedValue]) throws(ConfigError) {
        let key = ConfigKey.configIgnoreEnvironment
        sections = []
        source = nil
        guard let value = file[key.name] else { return }
        let parser = ConfigValueParser(values: [key: value])
        let named = parser.list(key)
        let known = Self.knownSections + [Self.everySection]
        guard named.allSatisfy(known.contains) else {
            throw parser.invalid(
                key, expected: "a list drawn from \(known.joined(separator: ", ")) (* is every section)")
        }
        sections = named
        source = value.source
    }

    /// The sections keys belong to, in the order of ``ConfigKey/all``; the
    /// file-only ones (`config`) are not among them.
    package static var knownSections: [String] {
        var sections: [String] = []
        for key in ConfigKey.all where !key.isFileOnly && !sections.contains(key.section) {
            sections.append(key.section)
        }
        return sections
    }

    /// Whether `key`'s `SF_*` variable must be ignored: a file-only key's
    /// always, a key of a locked section's.
    package func ignoresVariable(of key: ConfigKey) -> Bool {
        key.isFileOnly || sections.contains(Self.everySection) || sections.contains(key.section)
    }
}

/// An `SF_*` variable that was set and not used, so the operator can see it.
package struct IgnoredVariable: Sendable, Equatable, CustomStringConvertible {
    /// The key the variable would have set.
    package var key: ConfigKey
    /// Where the lock that ignores it is set; nil for a file-only key.
    package var lock: ConfigSource?

    package init(key: ConfigKey, lock: ConfigSource?) {
        self.key = key
        self.lock = lock
    }

    /// The variable's name.
    package var variable: String { key.environmentName }

    package var description: String {
        guard let lock else {
            return "\(variable) is ignored: \(key.name) is read from the configuration file only; set it there."
        }
        return
            "\(variable) is ignored: \(ConfigKey.configIgnoreEnvironment.name) (\(lock)) locks the \(key.section) section, "
            + "so \(key.name) comes from the configuration file or --set only."
    }
}
