#if canImport(Glibc)
import Glibc
#endif

/// The properties a harness checks. A violated one prints what was expected
/// and what was found, then traps, so libFuzzer saves the input as a crash
/// (`crash-<sha1>`) and the run fails.
///
/// ```swift
/// Property.expect(reference == actual, "the parser and the reference disagree", reference, actual)
/// ```
enum Property {
    /// Traps unless `condition` holds.
    static func expect(
        _ condition: @autoclosure () -> Bool, _ what: @autoclosure () -> String,
        expected: @autoclosure () -> Any = "", found: @autoclosure () -> Any = ""
    ) {
        guard !condition() else { return }
        fail(what(), expected: "\(expected())", found: "\(found())")
    }

    /// Reports a violation and traps.
    static func fail(_ what: String, expected: String = "", found: String = "") -> Never {
        var message = "\n==sf-agent-fuzz== PROPERTY VIOLATED: \(what)\n"
        if !expected.isEmpty || !found.isEmpty {
            message += "==sf-agent-fuzz==   expected: \(expected)\n==sf-agent-fuzz==   found:    \(found)\n"
        }
        var bytes = Array(message.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
        fatalError("property violated: \(what)")
    }
}

/// The bytes of `text` shown with escapes, for messages.
func shown(_ bytes: [UInt8]) -> String {
    var out = "\""
    for byte in bytes {
        switch byte {
        case 0x20..<0x7f where byte != 0x22 && byte != 0x5c: out.append(Character(Unicode.Scalar(byte)))
        default: out += "\\x" + String(byte, radix: 16)
        }
    }
    return out + "\""
}

/// ``shown(_:)`` for a string's UTF-8.
func shown(_ text: String) -> String { shown(Array(text.utf8)) }
