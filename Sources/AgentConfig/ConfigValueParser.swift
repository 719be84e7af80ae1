import ConfigKeys

/// Turns raw strings into typed values; every failure names the key, the
/// value, where it came from and what was expected.
struct ConfigValueParser {
    let values: [ConfigKey: SourcedValue]

    func raw(_ key: ConfigKey) -> SourcedValue {
        values[key] ?? SourcedValue(key.defaultValue, from: .builtInDefault)
    }

    func string(_ key: ConfigKey) -> String {
        raw(key).value
    }

    func required(_ key: ConfigKey) throws(ConfigError) -> String {
        let value = raw(key).value
        guard !value.isEmpty else { throw .missingValue(key: key) }
        return value
    }

    func absolutePath(_ key: ConfigKey) throws(ConfigError) -> String {
        let value = raw(key)
        guard value.value.hasPrefix("/"), !value.value.contains("\0") else {
            throw invalid(key, expected: "an absolute path")
        }
        return value.value
    }

    func list(_ key: ConfigKey) -> [String] {
        raw(key).value.unicodeScalars.split(separator: ",", omittingEmptySubsequences: false)
            .map { String(Substring($0.trimmingBlanks())) }.filter { !$0.isEmpty }
    }

    func bool(_ key: ConfigKey) throws(ConfigError) -> Bool {
        switch raw(key).value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw invalid(key, expected: "true or false")
        }
    }

    /// `90`, `90s`, `500ms`, `5m`, `2h`; must be positive.
    func duration(_ key: ConfigKey) throws(ConfigError) -> Duration {
        guard let duration = Self.parseDuration(raw(key).value), duration > .zero else {
            throw invalid(key, expected: "a positive duration such as 90s, 30m or 2h")
        }
        return duration
    }

    /// A positive count or byte size, or nil for `unlimited`. With
    /// `bytes`, a `K`, `M`, `G` or `T` suffix multiplies by 1024^n.
    func limit(_ key: ConfigKey, bytes: Bool) throws(ConfigError) -> UInt64? {
        let text = raw(key).value
        if text == "unlimited" { return nil }
        let expected = bytes ? "a positive size such as 512M or 8G, or unlimited" : "a positive number, or unlimited"
        guard let value = Self.parseLimit(text, bytes: bytes), value > 0 else { throw invalid(key, expected: expected) }
        return value
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: ConfigKey, as type: T.Type) throws(ConfigError) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw(key).value) else {
            throw invalid(key, expected: "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// A command split on spaces and tabs (scalars: a space and a combining
    /// mark after it are one `Character`): the program and its leading arguments.
    func command(_ key: ConfigKey) throws(ConfigError) -> [String] {
        let words = raw(key).value.unicodeScalars.split(whereSeparator: { $0 == " " || $0 == "\t" }).map {
            String(Substring($0))
        }
        guard !words.isEmpty else { throw invalid(key, expected: "a command such as `python3`") }
        return words
    }

    func invalid(_ key: ConfigKey, expected: String) -> ConfigError {
        let value = raw(key)
        return .invalidValue(key: key.name, value: value.value, source: value.source, expected: expected)
    }

    static func parseLimit(_ text: String, bytes: Bool) -> UInt64? {
        let shifts: [Character: UInt64] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var digits = Substring(text)
        var shift: UInt64 = 0
        if bytes, let last = text.last, let found = shifts[last] {
            shift = found
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = UInt64(digits) else {
            return nil
        }
        guard shift == 0 || number <= UInt64.max >> shift else { return nil }
        return number << shift
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, scale: Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let number: Int64 = decimal(text.dropLast(unit.suffix.count)) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.scale)
            return overflow ? nil : .milliseconds(product)
        }
        guard let seconds: Int64 = decimal(Substring(text)), seconds < Int64.max / 1000 else { return nil }
        return .seconds(seconds)
    }

    /// A whole number in ASCII digits only, or nil: no sign and no spaces
    /// (`Int("+5")` and `Int("-0")` would be accepted), as the docs spell numbers.
    static func decimal<Number: FixedWidthInteger>(_ text: Substring) -> Number? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Number(text)
    }
}
