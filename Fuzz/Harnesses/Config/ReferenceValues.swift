/// The value grammars of docs/configuration.md, written plainly over bytes:
/// a number is ASCII digits (no sign, no spaces).
enum ReferenceValues {
    static func digits(_ text: [UInt8]) -> UInt64? {
        guard !text.isEmpty, text.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var value: UInt64 = 0
        for byte in text {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (plus, overflowB) = times.addingReportingOverflow(UInt64(byte - 0x30))
            if overflowA || overflowB { return nil }
            value = plus
        }
        return value
    }

    /// A duration in milliseconds: digits, then `ms`, `s`, `m`, `h` or
    /// nothing (seconds); it must fit Int64 milliseconds (a bare number of
    /// seconds stays below Int64.max / 1000, the agent's bound).
    static func durationMilliseconds(_ text: [UInt8]) -> Int64? {
        let units: [([UInt8], UInt64)] = [
            (Array("ms".utf8), 1), (Array("s".utf8), 1000), (Array("m".utf8), 60_000), (Array("h".utf8), 3_600_000),
        ]
        for (suffix, scale) in units where text.count >= suffix.count && Array(text.suffix(suffix.count)) == suffix {
            guard let number = digits(Array(text.dropLast(suffix.count))) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: scale)
            return overflow || product > UInt64(Int64.max) ? nil : Int64(product)
        }
        guard let seconds = digits(text), seconds < UInt64(Int64.max / 1000) else { return nil }
        return Int64(seconds) * 1000
    }

    /// `limits.*`: digits, with bytes a `K`/`M`/`G`/`T` suffix (powers of 1024); fits UInt64.
    static func limit(_ text: [UInt8], bytes: Bool) -> UInt64? {
        var body = text
        var shift: UInt64 = 0
        if bytes, let last = text.last,
            let found = [
                UInt8(ascii: "K"): UInt64(10), UInt8(ascii: "M"): 20, UInt8(ascii: "G"): 30, UInt8(ascii: "T"): 40,
            ][last]
        {
            shift = found
            body.removeLast()
        }
        guard let number = digits(body), shift == 0 || number <= UInt64.max >> shift else { return nil }
        return number << shift
    }

    /// `artifacts.max_bytes`, `output.max_log_bytes`: digits with `KiB` `MiB` `GiB` `K` `M` `G` `B` or nothing; fits Int.
    static func byteSize(_ text: [UInt8]) -> Int? {
        let units: [(String, UInt64)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
            ("B", 1),
        ]
        var body = text
        var scale: UInt64 = 1
        for (suffix, factor) in units
        where text.count >= suffix.utf8.count && Array(text.suffix(suffix.utf8.count)) == Array(suffix.utf8) {
            body = Array(text.dropLast(suffix.utf8.count))
            scale = factor
            break
        }
        guard let number = digits(body) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow || product > UInt64(Int.max) ? nil : Int(product)
    }

    /// `cache.max_bytes`: digits with `K` `M` `G` `T` (either case) or nothing; fits Int64.
    static func cacheSize(_ text: [UInt8]) -> Int64? {
        var body = text
        var scale: UInt64 = 1
        let scales: [UInt8: UInt64] = [
            UInt8(ascii: "K"): 1 << 10, UInt8(ascii: "M"): 1 << 20, UInt8(ascii: "G"): 1 << 30,
            UInt8(ascii: "T"): 1 << 40,
            UInt8(ascii: "k"): 1 << 10, UInt8(ascii: "m"): 1 << 20, UInt8(ascii: "g"): 1 << 30,
            UInt8(ascii: "t"): 1 << 40,
        ]
        if let last = text.last, let found = scales[last] {
            scale = found
            body.removeLast()
        }
        guard let number = digits(body) else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow || product > UInt64(Int64.max) ? nil : Int64(product)
    }

    /// A list: split at commas, each item without surrounding spaces, tabs and CRs, empty items dropped.
    static func list(_ text: [UInt8]) -> [[UInt8]] {
        text.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map { ReferenceConfigFile.trimmed(Array($0)) }.filter { !$0.isEmpty }
    }

    /// `scripts.dir`: relative, no NUL, no `..` segment (empty is the top).
    static func isRelativeInsidePath(_ text: [UInt8]) -> Bool {
        text.first != UInt8(ascii: "/") && !text.contains(0)
            && !text.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains {
                Array($0) == Array("..".utf8)
            }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isEnvironmentName(_ text: [UInt8]) -> Bool {
        func letter(_ b: UInt8) -> Bool { (0x41...0x5a).contains(b) || (0x61...0x7a).contains(b) || b == 0x5f }
        guard let first = text.first, letter(first) else { return false }
        return text.allSatisfy { letter($0) || (0x30...0x39).contains($0) }
    }

    /// `refs/heads/<name>` as `git check-ref-format` allows it.
    static func isBranchName(_ text: [UInt8]) -> Bool {
        let prefix = Array("refs/heads/".utf8)
        guard text.count > prefix.count, Array(text.prefix(prefix.count)) == prefix else { return false }
        if ReferenceConfigFile.contains(text, Array("..".utf8)) || ReferenceConfigFile.contains(text, Array("@{".utf8))
        {
            return false
        }
        if text.last == UInt8(ascii: ".") || text.last == UInt8(ascii: "/") { return false }
        if text.contains(where: { $0 < 0x20 || $0 == 0x7f || Array(" ~^:?*[\\".utf8).contains($0) }) { return false }
        return !text.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains { component in
            component.isEmpty || component.first == UInt8(ascii: ".")
                || (component.count >= 5 && Array(component.suffix(5)) == Array(".lock".utf8))
        }
    }
}
