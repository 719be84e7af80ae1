/// The forms of a secret value written from docs/security.md and the GitHub
/// runner's rules (field notes §5), independently of `SecretForms`:
/// the value; each line of a multi-line value; base64 (standard and
/// URL-safe) of the value at the three alignments, keeping only the
/// characters whose six bits all come from the value; percent-encoded
/// (upper and lower hex, and with `+` for a space); JSON-escaped (`\/` or
/// not, and `\uXXXX` for non-ASCII as Python's `json.dumps` writes it).
/// Derived forms under 6 bytes are dropped.
enum ReferenceForms {
    static func of(_ value: [UInt8]) -> Set<[UInt8]> {
        guard !value.isEmpty else { return [] }
        var derived: [[UInt8]] = []
        if value.contains(0x0a) {
            for line in value.split(separator: 0x0a) {
                derived.append(line.last == 0x0d ? Array(line.dropLast()) : Array(line))
            }
        }
        for alphabet in [standard, urlSafe] {
            for lead in 0..<3 { derived.append(base64Core(value, lead: lead, alphabet: alphabet)) }
        }
        derived.append(percent(value, hex: "0123456789ABCDEF", plus: false))
        derived.append(percent(value, hex: "0123456789abcdef", plus: false))
        derived.append(percent(value, hex: "0123456789ABCDEF", plus: true))
        derived.append(json(value, slash: false, ascii: false))
        derived.append(json(value, slash: true, ascii: false))
        derived.append(json(value, slash: false, ascii: true))
        return Set([value] + derived.filter { $0.count >= 6 })
    }

    static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes `lead` zero bytes, the value and two zero bytes bit by bit,
    /// and keeps the characters whose bits lie wholly inside the value's.
    static func base64Core(_ value: [UInt8], lead: Int, alphabet: [UInt8]) -> [UInt8] {
        let bytes = [UInt8](repeating: 0, count: lead) + value + [0, 0]
        let bits = bytes.flatMap { byte in (0..<8).map { (byte >> (7 - $0)) & 1 } }
        let first = lead * 8
        let end = (lead + value.count) * 8
        var out: [UInt8] = []
        var start = 0
        while start + 6 <= bits.count {
            if start >= first && start + 6 <= end {
                let index = bits[start..<(start + 6)].reduce(0) { $0 << 1 | Int($1) }
                out.append(alphabet[index])
            }
            start += 6
        }
        return out
    }

    static func percent(_ value: [UInt8], hex: String, plus: Bool) -> [UInt8] {
        let digits = Array(hex.utf8)
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        return value.flatMap { byte -> [UInt8] in
            if unreserved.contains(byte) { return [byte] }
            if plus && byte == 0x20 { return [UInt8(ascii: "+")] }
            return [UInt8(ascii: "%"), digits[Int(byte / 16)], digits[Int(byte % 16)]]
        }
    }

    /// The value inside a JSON string; a value that is not UTF-8 keeps its
    /// bytes (there is no `\u` spelling for them).
    static func json(_ value: [UInt8], slash: Bool, ascii: Bool) -> [UInt8] {
        func escapeASCII(_ code: UInt32) -> String {
            switch code {
            case 0x22: return "\\\""
            case 0x5c: return "\\\\"
            case 0x2f where slash: return "\\/"
            case 0x0a: return "\\n"
            case 0x0d: return "\\r"
            case 0x09: return "\\t"
            case 0x08: return "\\b"
            case 0x0c: return "\\f"
            case 0..<0x20: return unicode(code)
            default: return String(Unicode.Scalar(UInt8(code)))
            }
        }
        func unicode(_ unit: UInt32) -> String {
            let hex = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        guard ascii, let text = String(validating: value, as: UTF8.self) else {
            return value.flatMap { $0 < 0x80 ? Array(escapeASCII(UInt32($0)).utf8) : [$0] }
        }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                out += escapeASCII(scalar.value)
            } else if scalar.value < 0x10000 {
                out += unicode(scalar.value)
            } else {
                let offset = scalar.value - 0x10000
                out += unicode(0xD800 + offset / 0x400) + unicode(0xDC00 + offset % 0x400)
            }
        }
        return Array(out.utf8)
    }
}
