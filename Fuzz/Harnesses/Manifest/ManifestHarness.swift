import Secrets

@testable import Artifacts

/// Fuzzes the names and the manifest encoding the archiver writes: the
/// JSON string escaping of names and link targets (`ManifestWriter`) and
/// the masked entry paths built from the walk's components (`EntryPaths`).
/// Small on purpose: the pure pieces of the archiver, not its walk.
///
/// Input: a mode byte, then a name; or a secret (a length byte and its
/// bytes) and path components separated by NUL bytes (empty ones and
/// ones holding `/`, which no directory entry has, are left out).
/// Properties:
/// - `validUTF8` is valid UTF-8, the name itself when it is;
/// - an escaped name holds no control byte and reads back through a strict
///   JSON reader (``ReferenceJSON``) as the valid name; bytes above 0x7f
///   pass unchanged;
/// - an entry's raw path is its directories' components and its own joined
///   by `/`; its masked path is the masker's output over the raw path (no
///   secret form left); it holds a secret exactly when its own component
///   does or a secret spans the `/` before it, and nothing above held one.
enum Harness {
    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        if reader.bool() {
            escaping(reader.remaining())
        } else {
            let secret = reader.bytes(count: reader.int(in: 0...16))
            var components: [[UInt8]] = []
            while !reader.isAtEnd, components.count < 8 {
                // A directory entry's name: never empty, never holding `/`.
                let component = reader.field(separator: 0)
                if !component.isEmpty && !component.contains(UInt8(ascii: "/")) { components.append(component) }
            }
            paths(components, masker: masker(for: secret))
        }
    }

    static func escaping(_ name: [UInt8]) {
        let valid = ManifestWriter.validUTF8(name)
        Property.expect(String(validating: valid, as: UTF8.self) != nil, "validUTF8 is UTF-8", found: shown(valid))
        if String(validating: name, as: UTF8.self) != nil {
            Property.expect(valid == name, "a UTF-8 name stays as it is", expected: shown(name), found: shown(valid))
        }
        var escaped: [UInt8] = []
        ManifestWriter.appendEscaped(name, to: &escaped)
        Property.expect(!escaped.contains { $0 < 0x20 }, "no control byte in \(shown(escaped))")
        Property.expect(escaped.filter { $0 >= 0x80 } == name.filter { $0 >= 0x80 }, "bytes above 0x7f pass unchanged")
        escaped = []
        ManifestWriter.appendEscaped(valid, to: &escaped)
        let document = Array("{\"path\": \"".utf8) + escaped + Array("\"}".utf8)
        guard case .object(let members)? = ReferenceJSON.parse(document), members.count == 1,
            case .string(let scalars) = members[0].value
        else { Property.fail("the manifest entry \(shown(document)) is not JSON") }
        Property.expect(
            scalars.elementsEqual(String(decoding: valid, as: UTF8.self).unicodeScalars), "the name reads back",
            expected: shown(valid), found: shown(Array(String(String.UnicodeScalarView(scalars)).utf8)))
    }

    /// Walks `components` down, one directory each, checking every name.
    static func paths(_ components: [[UInt8]], masker: SecretMasker) {
        var paths = EntryPaths(masker: masker)
        var parent: [UInt8]? = nil
        var aboveHeld = false
        for component in components {
            let name = paths.name(of: component)
            let raw = (parent.map { $0 + [UInt8(ascii: "/")] } ?? []) + component
            Property.expect(
                name.raw == raw, "the raw path of \(shown(component))", expected: shown(raw), found: shown(name.raw))
            Property.expect(
                name.masked == masker.mask(raw), "the masked path", expected: shown(masker.mask(raw)),
                found: shown(name.masked))
            let holds =
                contains(masker, raw)
                && (contains(masker, component) || !(parent.map { contains(masker, $0) } ?? false))
            Property.expect(
                name.holdsSecret == holds, "holdsSecret of \(shown(raw))", expected: holds, found: name.holdsSecret)
            Property.expect(!aboveHeld || contains(masker, raw), "a path under a secret holds it")
            aboveHeld = aboveHeld || name.holdsSecret
            paths.enter(name)
            Property.expect(paths.current == name.text, "the walk is in the entered directory")
            parent = raw
        }
        for _ in components { paths.leave() }
        Property.expect(paths.current == nil, "leaving every directory is the root")
    }

    /// Maskers already built (immutable; building one costs more than the checks).
    nonisolated(unsafe) static var maskers: [[UInt8]: SecretMasker] = [:]

    static func masker(for secret: [UInt8]) -> SecretMasker {
        if let known = maskers[secret] { return known }
        if maskers.count >= 64 { maskers.removeAll(keepingCapacity: true) }
        let masker = SecretMasker(values: [secret])
        maskers[secret] = masker
        return masker
    }

    static func contains(_ masker: SecretMasker, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { masker.containsSecret(in: $0) }
    }
}
