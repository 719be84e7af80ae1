/// The byte strings under which a secret value can show up in output: the
/// value itself, each line of a multi-line value, its base64 forms at the
/// three alignments (standard and URL-safe alphabets), its URL-escaped forms
/// and its JSON-escaped forms.
///
/// ```swift
/// SecretForms.of(Array("p@ss w/rd".utf8)).map { String(decoding: $0, as: UTF8.self) }
/// // ["p@ss w/rd", "cEBzcyB3L3Jk", …, "p%40ss%20w%2Frd", "p%40ss+w%2Frd", "p@ss w\\/rd", …]
/// ```
///
/// Derived forms shorter than ``minimumDerivedLength`` are left out: they
/// would mask ordinary text. The value itself is always kept.
package enum SecretForms {
    /// Derived forms (and lines of a multi-line value) shorter than this are dropped.
    package static let minimumDerivedLength = 6

    /// Every form of `value`, without duplicates, the value first.
    package static func of(_ value: [UInt8]) -> [[UInt8]] {
        guard !value.isEmpty else { return [] }
        var forms: [[UInt8]] = [value]
        var derived: [[UInt8]] = []
        if value.contains(0x0a) {
            for line in value.split(separator: 0x0a, omittingEmptySubsequences: true) {
                var line = Array(line)
                if line.last == 0x0d { line.removeLast() }
                derived.append(line)
            }
        }
        for urlSafe in [false, true] {
            for offset in 0..<3 { derived.append(Base64.alignedCore(value, offset: offset, urlSafe: urlSafe)) }
        }
        derived.append(urlEscaped(value, upperHex: true, spaceAsPlus: false))
        derived.append(urlEscaped(value, upperHex: false, spaceAsPlus: false))
        derived.append(urlEscaped(value, upperHex: true, spaceAsPlus: true))
        derived.append(jsonEscaped(value, escapeSlash: false, asciiOnly: false))
        derived.append(jsonEscaped(value, escapeSlash: true, asciiOnly: false))
        derived.append(jsonEscaped(value, escapeSlash: false, asciiOnly: true))
        for form in derived where form.count >= minimumDerivedLength && !forms.contains(form) {
            forms.append(form)
        }
        return forms
    }

    /// Percent-encoding of every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`).
    static func urlEscaped(_ value: [UInt8], upperHex: Bool, spaceAsPlus: Bool) -> [UInt8] {
        let digits = Array((upperHex ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        for byte in value {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: " ") where spaceAsPlus:
                out.append(UInt8(ascii: "+"))
            default:
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
            }
        }
        return out
    }

    /// The value as it appears inside a JSON string. `asciiOnly` escapes
    /// non-ASCII characters as `\uXXXX` (Python's `json.dumps` default);
    /// a value that is not UTF-8 keeps its bytes.
    static func jsonEscaped(_ value: [UInt8], escapeSlash: Bool, asciiOnly: Bool) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        func unicodeEscape(_ unit: UInt16, into out: inout [UInt8]) {
            out += Array("\\u".utf8)
            for shift in [12, 8, 4, 0] { out.append(hex[Int((unit >> UInt16(shift)) & 0xf)]) }
        }
        var out: [UInt8] = []
        let text = String(validating: value, as: UTF8.self)
        if asciiOnly, let text {
            for unit in text.utf16 {
                if unit < 0x80 {
                    appendEscapedASCII(UInt8(unit), escapeSlash: escapeSlash, into: &out, unicodeEscape: unicodeEscape)
                } else {
                    unicodeEscape(unit, into: &out)
                }
            }
            return out
        }
        for byte in value {
            if byte < 0x80 {
                appendEscapedASCII(byte, escapeSlash: escapeSlash, into: &out, unicodeEscape: unicodeEscape)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    private static func appendEscapedASCII(
        _ byte: UInt8, escapeSlash: Bool, into out: inout [UInt8], unicodeEscape: (UInt16, inout [UInt8]) -> Void
    ) {
        switch byte {
        case UInt8(ascii: "\""): out += Array("\\\"".utf8)
        case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
        case UInt8(ascii: "/") where escapeSlash: out += Array("\\/".utf8)
        case 0x0a: out += Array("\\n".utf8)
        case 0x0d: out += Array("\\r".utf8)
        case 0x09: out += Array("\\t".utf8)
        case 0x08: out += Array("\\b".utf8)
        case 0x0c: out += Array("\\f".utf8)
        case 0..<0x20: unicodeEscape(UInt16(byte), &out)
        default: out.append(byte)
        }
    }
}
