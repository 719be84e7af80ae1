/// A slow `agent.conf` reader written from docs/configuration.md, over
/// bytes: lines end at LF; spaces, tabs and CRs around a line, a key or a
/// value do not count; a line is blank, a `#` comment, or `key = value`
/// with a key of `A-Z a-z 0-9 . _ -` that `ConfigKey` knows, set once; a
/// value in double quotes may escape only `"` and `\`; an unquoted value
/// may not hold ` #` or a tab before `#` (a comment belongs on its own line).
enum ReferenceConfigFile {
    /// What the reference makes of a file: the values with their line, or
    /// the first faulty line and the kind of fault.
    enum Outcome: Equatable {
        case values([String: Value])
        case fault(line: Int, kind: Fault)
    }

    struct Value: Equatable {
        var bytes: [UInt8]
        var line: Int
    }

    enum Fault: String, Equatable {
        case malformed, unknownKey, duplicate, inlineComment
    }

    static func read(_ text: [UInt8], knownKeys: Set<String>) -> Outcome {
        var values: [String: Value] = [:]
        for (index, rawLine) in text.split(separator: 0x0a, omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = trimmed(Array(rawLine))
            if line.isEmpty || line[0] == UInt8(ascii: "#") { continue }
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                return .fault(line: number, kind: .malformed)
            }
            let keyBytes = trimmed(Array(line[..<equals]))
            guard !keyBytes.isEmpty, keyBytes.allSatisfy(isKeyByte) else {
                return .fault(line: number, kind: .malformed)
            }
            let key = String(decoding: keyBytes, as: UTF8.self)
            guard knownKeys.contains(key) else { return .fault(line: number, kind: .unknownKey) }
            guard values[key] == nil else { return .fault(line: number, kind: .duplicate) }
            let raw = trimmed(Array(line[(equals + 1)...]))
            let value: [UInt8]
            if raw.first == UInt8(ascii: "\"") {
                guard let unquoted = unquote(raw) else { return .fault(line: number, kind: .malformed) }
                value = unquoted
            } else {
                if contains(raw, [0x20, 0x23]) || contains(raw, [0x09, 0x23]) {
                    return .fault(line: number, kind: .inlineComment)
                }
                value = raw
            }
            values[key] = Value(bytes: value, line: number)
        }
        return .values(values)
    }

    /// `"…"` without its quotes and escapes; nil when not exactly one quoted string.
    static func unquote(_ raw: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var index = 1
        while index < raw.count {
            switch raw[index] {
            case UInt8(ascii: "\\"):
                guard index + 1 < raw.count,
                    raw[index + 1] == UInt8(ascii: "\"") || raw[index + 1] == UInt8(ascii: "\\")
                else {
                    return nil
                }
                out.append(raw[index + 1])
                index += 2
            case UInt8(ascii: "\""):
                return index == raw.count - 1 ? out : nil
            default:
                out.append(raw[index])
                index += 1
            }
        }
        return nil
    }

    static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        let blank: Set<UInt8> = [0x20, 0x09, 0x0d]
        guard let first = bytes.firstIndex(where: { !blank.contains($0) }),
            let last = bytes.lastIndex(where: { !blank.contains($0) })
        else { return [] }
        return Array(bytes[first...last])
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// The file text that sets `values` (each quoted), one key a line in `order`.
    static func render(_ values: [String: String], order: [String]) -> String {
        order.compactMap { key in
            values[key].map { value in
                var escaped = ""
                for scalar in value.unicodeScalars {
                    if scalar == "\\" || scalar == "\"" { escaped.unicodeScalars.append("\\") }
                    escaped.unicodeScalars.append(scalar)
                }
                return "\(key) = \"\(escaped)\""
            }
        }.joined(separator: "\n")
    }
}
