/// A JSON value written with keys in the given order, for documents whose
/// layout is fixed by a specification (provenance), and numbers kept in
/// their original spelling.
///
/// ```swift
/// JSONValue.object([("a", .string("x")), ("n", .number("1.50"))]).text()   // {"a":"x","n":1.50}
/// ```
package indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    /// A number in JSON spelling, written as is.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.text() == rhs.text()
    }

    /// Compact JSON text.
    package func text() -> String {
        var out = ""
        write(to: &out, indent: nil, depth: 0)
        return out
    }

    /// Pretty JSON text (two-space indent) ending in a newline.
    package func prettyText() -> String {
        var out = ""
        write(to: &out, indent: "  ", depth: 0)
        return out + "\n"
    }

    private func write(to out: inout String, indent: String?, depth: Int) {
        let newline = indent.map { "\n" + String(repeating: $0, count: depth + 1) } ?? ""
        let closing = indent.map { "\n" + String(repeating: $0, count: depth) } ?? ""
        let colon = indent == nil ? ":" : ": "
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .number(let number): out += number
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (index, item) in items.enumerated() {
                out += (index == 0 ? "" : ",") + newline
                item.write(to: &out, indent: indent, depth: depth + 1)
            }
            out += closing + "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                out += (index == 0 ? "" : ",") + newline
                Self.quote(key, into: &out)
                out += colon
                value.write(to: &out, indent: indent, depth: depth + 1)
            }
            out += closing + "}"
        }
    }

    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1f}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
