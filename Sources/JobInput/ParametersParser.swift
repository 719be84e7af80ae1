/// Parses `PARAMETERS`: a JSON object whose keys match
/// `^[A-Za-z_][A-Za-z0-9_-]{0,63}$` and whose values are strings, numbers,
/// booleans, null, or flat arrays of those.
///
/// A parser of its own rather than `JSONDecoder` because the agent must keep
/// the order of the keys (it becomes the order of argv), keep each number's
/// spelling, and refuse duplicate keys, which JSON decoders accept silently.
///
/// ```swift
/// let p = try ParametersParser.parse(#"{"host": "a b", "port": 8080}"#)
/// p.entries.map(\.name)   // ["host", "port"]
/// ```
package enum ParametersParser {
    /// The largest `PARAMETERS` accepted, in bytes.
    package static let maximumBytes = 64 * 1024

    package static func parse(_ text: String) throws(JobInputError) -> Parameters {
        guard text.utf8.count <= maximumBytes else {
            throw fail("is \(text.utf8.count) bytes; at most \(maximumBytes) (64 KiB) are allowed.")
        }
        var reader = Reader(bytes: Array(text.utf8))
        let entries = try reader.object()
        reader.skipWhitespace()
        guard reader.atEnd else { throw reader.unexpected("after the closing `}`") }
        return Parameters(entries: entries, json: text)
    }

    static func fail(_ reason: String) -> JobInputError {
        JobInputError(.parameters, reason: reason)
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset >= bytes.count }

        mutating func skipWhitespace() {
            while offset < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[offset]) { offset += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(JobInputError) {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == byte else { throw unexpected("where \(what) was expected") }
            offset += 1
        }

        func unexpected(_ context: String) -> JobInputError {
            guard offset < bytes.count else { return fail("is not valid JSON: it ends too early (\(context)).") }
            return fail(
                "is not valid JSON: unexpected `\(Character(Unicode.Scalar(bytes[offset])))` at byte \(offset) \(context)."
            )
        }

        mutating func object() throws(JobInputError) -> [(name: String, value: ParameterValue)] {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "{") else {
                throw fail("must be a JSON object such as {\"host\": \"web-1\"}.")
            }
            offset += 1
            var entries: [(name: String, value: ParameterValue)] = []
            var seen: Set<String> = []
            skipWhitespace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return entries
            }
            while true {
                skipWhitespace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                    throw unexpected("where a key was expected")
                }
                let name = try string()
                guard Self.isValidName(name) else {
                    throw fail("key `\(name)` is not allowed; keys must match ^[A-Za-z_][A-Za-z0-9_-]{0,63}$.")
                }
                guard seen.insert(name).inserted else { throw fail("key `\(name)` appears more than once.") }
                try expect(UInt8(ascii: ":"), "`:`")
                entries.append((name, try value(for: name)))
                skipWhitespace()
                guard offset < bytes.count else { throw unexpected("where `,` or `}` was expected") }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                if bytes[offset] == UInt8(ascii: "}") {
                    offset += 1
                    return entries
                }
                throw unexpected("where `,` or `}` was expected")
            }
        }

        mutating func value(for name: String) throws(JobInputError) -> ParameterValue {
            skipWhitespace()
            guard offset < bytes.count else { throw unexpected("where a value was expected") }
            switch bytes[offset] {
            case UInt8(ascii: "["):
                offset += 1
                var items: [ParameterScalar] = []
                skipWhitespace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                    offset += 1
                    return .array(items)
                }
                while true {
                    items.append(try scalar(for: name))
                    skipWhitespace()
                    guard offset < bytes.count else { throw unexpected("where `,` or `]` was expected") }
                    if bytes[offset] == UInt8(ascii: ",") {
                        offset += 1
                        continue
                    }
                    if bytes[offset] == UInt8(ascii: "]") {
                        offset += 1
                        return .array(items)
                    }
                    throw unexpected("where `,` or `]` was expected")
                }
            default:
                return .scalar(try scalar(for: name))
            }
        }

        mutating func scalar(for name: String) throws(JobInputError) -> ParameterScalar {
            skipWhitespace()
            guard offset < bytes.count else { throw unexpected("where a value was expected") }
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                let text = try string()
                guard !text.unicodeScalars.contains("\0") else {
                    throw fail("value of `\(name)` contains a NUL character, which cannot be passed as an argument.")
                }
                return .string(text)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                throw fail(
                    "value of `\(name)` nests an object or array; only strings, numbers, booleans, null and flat arrays of those are allowed."
                )
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: String) throws(JobInputError) {
            let expected = Array(word.utf8)
            guard offset + expected.count <= bytes.count, Array(bytes[offset..<offset + expected.count]) == expected
            else {
                throw unexpected("where a value was expected")
            }
            offset += expected.count
        }

        /// RFC 8259 number grammar; returns the number's exact spelling.
        mutating func number() throws(JobInputError) -> String {
            let start = offset
            func digits(_ reader: inout Reader) -> Int {
                let from = reader.offset
                while reader.offset < reader.bytes.count, (0x30...0x39).contains(reader.bytes[reader.offset]) {
                    reader.offset += 1
                }
                return reader.offset - from
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "0") {
                offset += 1
            } else if digits(&self) == 0 {
                offset = start
                throw unexpected("where a value was expected")
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
                offset += 1
                guard digits(&self) > 0 else { throw unexpected("in a number") }
            }
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                    offset += 1
                }
                guard digits(&self) > 0 else { throw unexpected("in a number") }
            }
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }

        mutating func string() throws(JobInputError) -> String {
            offset += 1  // opening quote
            var scalars = String.UnicodeScalarView()
            var runStart = offset
            func flushRun(_ reader: Reader, to scalars: inout String.UnicodeScalarView) {
                scalars.append(
                    contentsOf: String(decoding: reader.bytes[runStart..<reader.offset], as: UTF8.self).unicodeScalars)
            }
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    flushRun(self, to: &scalars)
                    offset += 1
                    return String(scalars)
                }
                if byte < 0x20 {
                    throw fail(
                        "is not valid JSON: a string holds a raw control character at byte \(offset); escape it.")
                }
                if byte == UInt8(ascii: "\\") {
                    flushRun(self, to: &scalars)
                    offset += 1
                    scalars.append(try escape())
                    runStart = offset
                    continue
                }
                offset += 1
            }
            throw unexpected("inside a string")
        }

        mutating func escape() throws(JobInputError) -> Unicode.Scalar {
            guard offset < bytes.count else { throw unexpected("in an escape") }
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let high = try hex4()
                if (0xD800...0xDBFF).contains(high) {
                    guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                        bytes[offset + 1] == UInt8(ascii: "u")
                    else {
                        throw fail(
                            "is not valid JSON: an unpaired surrogate \\u\(String(high, radix: 16)) at byte \(offset).")
                    }
                    offset += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low),
                        let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    else { throw fail("is not valid JSON: an unpaired surrogate at byte \(offset).") }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(high) else {
                    throw fail(
                        "is not valid JSON: an unpaired surrogate \\u\(String(high, radix: 16)) at byte \(offset).")
                }
                return scalar
            default:
                offset -= 1
                throw unexpected("in an escape")
            }
        }

        mutating func hex4() throws(JobInputError) -> UInt32 {
            guard offset + 4 <= bytes.count else { throw unexpected("in a \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[offset]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw unexpected("in a \\u escape")
                }
                value = value * 16 + digit
                offset += 1
            }
            return value
        }

        static func isValidName(_ name: String) -> Bool {
            let scalars = Array(name.unicodeScalars)
            guard let first = scalars.first, scalars.count <= 64 else { return false }
            func isLetter(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) || ("a"..."z").contains(s) }
            guard isLetter(first) || first == "_" else { return false }
            return scalars.dropFirst().allSatisfy { isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        }
    }
}
