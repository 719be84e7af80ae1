import JobInput
import Launch

/// Fuzzes `ParametersParser` (the job's `PARAMETERS`) and the argv made from it.
///
/// Input: the `PARAMETERS` text (repaired to UTF-8, as the environment gives it).
/// Properties:
/// - the parser accepts exactly what ``ReferenceJSON`` reads as JSON and
///   the README's rules allow: an object of at most 64 KiB, keys
///   `^[A-Za-z_][A-Za-z0-9_-]{0,63}$` once each, values string (no NUL),
///   number, boolean, null or a flat array of those;
/// - an accepted text gives the reference's entries in order, each number
///   spelled as written, and keeps the text as its `json`;
/// - a refusal names `PARAMETERS`;
/// - argv in both styles reads back (``ReferenceArgv``) to the entries.
enum Harness {
    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        let expected = reference(Array(text.utf8))
        let parameters: Parameters
        do {
            parameters = try ParametersParser.parse(text)
        } catch {
            Property.expect(error.variable == "PARAMETERS", "a refusal names PARAMETERS", found: error)
            Property.expect(
                expected == nil, "the parser refused \(shown(text)): \(error)", expected: expected as Any,
                found: "refused")
            return
        }
        guard let expected else { Property.fail("the parser accepted \(shown(text)), the reference refuses it") }
        let found = parameters.entries.map { (Array($0.name.unicodeScalars), $0.value) }
        Property.expect(
            found.elementsEqual(expected) { $0.0 == $1.key && same($0.1, $1.value) }, "entries of \(shown(text))",
            expected: expected, found: parameters.entries)
        Property.expect(
            parameters.json == text && parameters.json.utf8.elementsEqual(text.utf8), "the JSON text is kept")
        for style in ParameterStyle.allCases {
            ArgvCheck.roundTrip(parameters, style: style)
        }
    }

    /// The entries the README's rules allow in the JSON `bytes`, or nil.
    static func reference(_ bytes: [UInt8]) -> [(key: [Unicode.Scalar], value: ReferenceJSON.Value)]? {
        guard bytes.count <= 64 * 1024, case .object(let members)? = ReferenceJSON.parse(bytes) else { return nil }
        var seen: Set<[UInt32]> = []
        for member in members {
            guard isValidKey(member.key), seen.insert(member.key.map(\.value)).inserted else { return nil }
            let items: [ReferenceJSON.Value]
            if case .array(let array) = member.value { items = array } else { items = [member.value] }
            for item in items {
                switch item {
                case .array, .object: return nil
                case .string(let scalars) where scalars.contains("\0"): return nil
                default: continue
                }
            }
        }
        return members
    }

    static func isValidKey(_ key: [Unicode.Scalar]) -> Bool {
        func letter(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) || ("a"..."z").contains(s) || s == "_" }
        guard let first = key.first, letter(first), key.count <= 64 else { return false }
        return key.allSatisfy { letter($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func same(_ value: ParameterValue, _ reference: ReferenceJSON.Value) -> Bool {
        switch (value, reference) {
        case (.array(let items), .array(let expected)): items.elementsEqual(expected, by: same)
        case (.scalar(let scalar), _): same(scalar, reference)
        default: false
        }
    }

    static func same(_ scalar: ParameterScalar, _ reference: ReferenceJSON.Value) -> Bool {
        switch (scalar, reference) {
        case (.string(let text), .string(let scalars)): Array(text.unicodeScalars) == scalars
        case (.number(let spelling), .number(let bytes)): Array(spelling.utf8) == bytes
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }
}
