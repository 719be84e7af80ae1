import AgentSystem
import Policy

/// Fuzzes `Glob` (the allow-lists' matcher, `fnmatch(3)` underneath)
/// and the policies built on it.
///
/// Input: a flags byte, a pattern length byte, the pattern, then the text.
/// Properties:
/// - for a documented pattern, `Glob.matches` agrees with
///   ``ReferenceGlob`` (with and without path segments);
/// - `matchesAny` is the `or` of `matches`;
/// - `ScriptPolicy` allows a SCRIPT_ID exactly when a pattern matches it by
///   path segments; `SourcePolicy` allows a repository or a SCRIPTS_REF
///   exactly when a pattern matches it whole.
enum Harness {
    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        let flags = reader.byte()
        let patternBytes = reader.bytes(count: reader.int(in: 0...64))
        let pattern = String(decoding: patternBytes, as: UTF8.self)
        let second = String(decoding: reader.field(separator: 0x0a), as: UTF8.self)
        let text = String(decoding: reader.remaining(), as: UTF8.self)
        let pathSegments = flags & 1 == 1

        let actual = Glob.matches(pattern, text, pathSegments: pathSegments)
        if ReferenceGlob.isDocumented(Array(pattern.utf8)) {
            let expected = ReferenceGlob.matches(Array(pattern.utf8), Array(text.utf8), pathSegments: pathSegments)
            Property.expect(
                actual == expected, "glob \(shown(pattern)) over \(shown(text)) (path segments: \(pathSegments))",
                expected: expected, found: actual)
        }

        let patterns = [pattern, second]
        let any = Glob.matchesAny(patterns, text, pathSegments: pathSegments)
        let each = patterns.contains { Glob.matches($0, text, pathSegments: pathSegments) }
        Property.expect(any == each, "matchesAny is the or of matches", expected: each, found: any)

        guard flags & 2 == 2 else { return }
        let scriptAllowed = (try? ScriptPolicy(allowedScripts: patterns).check(scriptID: text)) != nil
        let segmentMatch = Glob.matchesAny(patterns, text, pathSegments: true)
        Property.expect(
            scriptAllowed == segmentMatch, "ScriptPolicy follows the globs", expected: segmentMatch,
            found: scriptAllowed)

        let source = SourcePolicy(allowedRepos: patterns, allowedRefs: patterns, requirePinnedCommit: false)
        let wholeMatch = Glob.matchesAny(patterns, text)
        let repositoryAllowed = (try? source.checkRepository(text)) != nil
        Property.expect(
            repositoryAllowed == wholeMatch, "SourcePolicy.checkRepository follows the globs", expected: wholeMatch,
            found: repositoryAllowed)
        let ref = try? source.effectiveRef(configured: "main", requested: text)
        Property.expect(
            (ref != nil) == wholeMatch, "SourcePolicy.effectiveRef follows the globs", expected: wholeMatch,
            found: ref ?? "refused")
        if let ref {
            Property.expect(ref == text, "an allowed SCRIPTS_REF is the one asked for", expected: text, found: ref)
        }
    }
}
