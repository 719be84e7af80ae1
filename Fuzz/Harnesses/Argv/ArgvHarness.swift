import JobInput
import Launch

/// Fuzzes `ArgvBuilder` with parameters built directly (values the JSON
/// parser could never produce included: any spelling of a number, strings
/// that look like options, `=`, `:`, `$true`, newlines, U+2212).
///
/// Input: an entry count, then per entry a name (drawn from the key
/// alphabet), a kind and its bytes.
/// Properties: in both styles argv reads back (``ReferenceArgv``) to the
/// parameters' non-null values in order, each value one element, and a
/// value starting with `-` is never an element of its own.
enum Harness {
    static let first = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_".unicodeScalars)
    static let rest = first + Array("0123456789-".unicodeScalars)

    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        var entries: [(name: String, value: ParameterValue)] = []
        for _ in 0..<reader.int(in: 0...6) {
            var name = String.UnicodeScalarView([reader.pick(first)])
            for _ in 0..<reader.int(in: 0...8) { name.append(reader.pick(rest)) }
            let kind = reader.byte()
            if kind & 0x80 != 0 {
                entries.append(
                    (
                        String(name),
                        .array((0..<reader.int(in: 0...4)).map { _ in scalar(&reader, kind: reader.byte()) })
                    ))
            } else {
                entries.append((String(name), .scalar(scalar(&reader, kind: kind))))
            }
        }
        let parameters = Parameters(entries: entries, json: "{}")
        for style in ParameterStyle.allCases {
            ArgvCheck.roundTrip(parameters, style: style)
            let argv = ArgvBuilder.arguments(for: parameters, style: style)
            Property.expect(
                ArgvBuilder.arguments(for: parameters, style: style) == argv, "argv is the same every time")
        }
    }

    static func scalar(_ reader: inout FuzzReader, kind: UInt8) -> ParameterScalar {
        switch kind % 5 {
        case 0: return .null
        case 1: return .bool(reader.bool())
        case 2: return .number(String(decoding: reader.field(separator: 0xff), as: UTF8.self))
        default: return .string(String(decoding: reader.field(separator: 0xff), as: UTF8.self))
        }
    }
}
