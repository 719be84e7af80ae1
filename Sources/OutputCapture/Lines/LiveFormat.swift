/// How the job's output looks on the agent's own stdout and stderr.
///
/// ```swift
/// LiveFormat.json.render(line: Array("hi\n".utf8), stream: .stdout, time: "2026-11-29T12:00:00.000Z")
/// // {"time":"2026-11-29T12:00:00.000Z","stream":"stdout","text":"hi\n"}\n
/// ```
package enum LiveFormat: String, Sendable, CaseIterable {
    /// The bytes as the script wrote them, stdout to stdout, stderr to stderr.
    case plain
    /// Each line prefixed with its arrival time (RFC 3339, UTC, milliseconds).
    case timestamped
    /// One JSON object per line on stdout: `time`, `stream`, `text`.
    case json

    /// One line (ending in `\n`) rendered in this format; `plain` keeps it.
    package func render(line: UnsafeRawBufferPointer, stream: OutputStreamKind, time: String) -> [UInt8] {
        switch self {
        case .plain:
            return Array(line)
        case .timestamped:
            return Array(time.utf8) + [0x20] + Array(line)
        case .json:
            var out = Array("{\"time\":\"\(time)\",\"stream\":\"\(stream.rawValue)\",\"text\":\"".utf8)
            Self.appendJSONEscaped(String(decoding: line, as: UTF8.self), to: &out)
            out += Array("\"}\n".utf8)
            return out
        }
    }

    /// Convenience for tests.
    package func render(line: [UInt8], stream: OutputStreamKind, time: String) -> [UInt8] {
        line.withUnsafeBytes { render(line: $0, stream: stream, time: time) }
    }

    static func appendJSONEscaped(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5c, 0x22]
            case UInt8(ascii: "\\"): out += [0x5c, 0x5c]
            case 0x0a: out += [0x5c, UInt8(ascii: "n")]
            case 0x0d: out += [0x5c, UInt8(ascii: "r")]
            case 0x09: out += [0x5c, UInt8(ascii: "t")]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            default: out.append(byte)
            }
        }
    }
}
