@testable import Artifacts

/// Fuzzes the manifest encoding the archiver writes (`manifest.json`): the
/// JSON string escaping of names and link targets, and the relative name
/// of a walked path. Small on purpose: the archiver's walk is being
/// rewritten; these pure pieces stay.
///
/// Input: a mode byte, then a root (up to a NUL) and a full name, or a name.
/// Properties:
/// - an escaped name holds no control byte, and for UTF-8 names it reads
///   back through a strict JSON reader (``ReferenceJSON``) as the name;
///   bytes above 0x7f pass unchanged;
/// - `relativeName` is nil exactly when the full name does not lie strictly
///   under the root; otherwise the root, one or more `/` (none when the root
///   ends with one) and the relative name make the full name, which starts
///   with no `/`.
enum Harness {
    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        if reader.bool() {
            escaping(reader.remaining())
        } else {
            let root = reader.field(separator: 0)
            relative(reader.remaining(), root: root)
        }
    }

    static func escaping(_ name: [UInt8]) {
        var escaped: [UInt8] = []
        ManifestWriter.appendEscaped(name, to: &escaped)
        Property.expect(!escaped.contains { $0 < 0x20 }, "no control byte in \(shown(escaped))")
        Property.expect(
            escaped.filter { $0 >= 0x80 } == name.filter { $0 >= 0x80 }, "bytes above 0x7f pass unchanged")
        guard let text = String(validating: name, as: UTF8.self) else { return }
        let document = Array("{\"path\": \"".utf8) + escaped + Array("\"}".utf8)
        guard case .object(let members)? = ReferenceJSON.parse(document), members.count == 1,
            case .string(let scalars) = members[0].value
        else { Property.fail("the manifest entry \(shown(document)) is not JSON") }
        Property.expect(scalars == Array(text.unicodeScalars), "the name reads back", expected: shown(name), found: shown(Array(String(String.UnicodeScalarView(scalars)).utf8)))
    }

    static func relative(_ full: [UInt8], root: [UInt8]) {
        let found = ArtifactArchiver.relativeName(full, root: root)
        let under = full.count > root.count && full.starts(with: root)
            && (root.last == UInt8(ascii: "/") || full[root.count] == UInt8(ascii: "/"))
            && full[root.count...].contains { $0 != UInt8(ascii: "/") }
        Property.expect((found != nil) == under, "\(shown(full)) lies under \(shown(root))", expected: under, found: found.map(shown) as Any)
        guard let found else { return }
        Property.expect(!found.isEmpty && found.first != UInt8(ascii: "/"), "a relative name starts with no /", found: shown(found))
        let separator = full[root.count..<(full.count - found.count)]
        Property.expect(
            full.starts(with: root) && full.suffix(found.count).elementsEqual(found) && separator.allSatisfy { $0 == UInt8(ascii: "/") }
                && (!separator.isEmpty || root.last == UInt8(ascii: "/")),
            "root, slashes and the relative name make \(shown(full))", found: shown(found))
    }
}
