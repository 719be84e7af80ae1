import ConfigKeys

extension ConfigValueParser {
    /// A byte count: a number with an optional binary unit (`512`, `64KiB`,
    /// `1MiB`, `2GiB`; `K`, `M`, `G` mean the same). Zero allowed.
    func byteSize(_ key: ConfigKey) throws(ConfigError) -> Int {
        guard let size = Self.parseByteSize(raw(key).value) else {
            throw invalid(key, expected: "a byte count such as 1048576, 512KiB, 1MiB or 2GiB")
        }
        return size
    }

    static func parseByteSize(_ text: String) -> Int? {
        let units: [(suffix: String, scale: Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
            ("B", 1),
        ]
        var digits = Substring(text)
        var scale = 1
        for unit in units where text.hasSuffix(unit.suffix) {
            digits = text.dropLast(unit.suffix.count)
            scale = unit.scale
            break
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(digits) else {
            return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
