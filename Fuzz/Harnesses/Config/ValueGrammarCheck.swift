@testable import AgentConfig

/// Each value parser of `AgentConfig` against ``ReferenceValues``.
enum ValueGrammarCheck {
    static func run(selector: UInt8, value: String) {
        let bytes = Array(value.utf8)
        let parser = ConfigValueParser(values: [
            .policyAllowedScripts: SourcedValue(value, from: .flag),
            .policyImmutableTags: SourcedValue(value, from: .flag),
        ])
        switch selector % 10 {
        case 0:
            let found = ConfigValueParser.parseDuration(value).map(milliseconds)
            same("duration", value, ReferenceValues.durationMilliseconds(bytes), found)
        case 1:
            same(
                "limit (bytes)", value, ReferenceValues.limit(bytes, bytes: true),
                ConfigValueParser.parseLimit(value, bytes: true))
        case 2:
            same(
                "limit (count)", value, ReferenceValues.limit(bytes, bytes: false),
                ConfigValueParser.parseLimit(value, bytes: false))
        case 3: same("byte size", value, ReferenceValues.byteSize(bytes), ConfigValueParser.parseByteSize(value))
        case 4: same("cache size", value, ReferenceValues.cacheSize(bytes), SourceSettings.parseSize(value))
        case 5:
            same(
                "environment name", value, ReferenceValues.isEnvironmentName(bytes),
                AgentConfiguration.isEnvironmentName(value))
        case 6: same("branch name", value, ReferenceValues.isBranchName(bytes), SourceSettings.isBranchName(value))
        case 7:
            same("list", value, ReferenceValues.list(bytes), parser.list(.policyAllowedScripts).map { Array($0.utf8) })
        case 8:
            same(
                "relative path", value, ReferenceValues.isRelativeInsidePath(bytes),
                AgentConfiguration.isRelativeInsidePath(value))
        default:
            let words: [String: Bool] = [
                "true": true, "yes": true, "on": true, "1": true, "false": false, "no": false, "off": false, "0": false,
            ]
            let lowered = String(decoding: bytes.map { (0x41...0x5a).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            same("boolean", value, words[lowered], try? parser.bool(.policyImmutableTags))
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    static func same<T: Equatable>(_ grammar: String, _ value: String, _ expected: T, _ found: T) {
        Property.expect(
            expected == found, "the \(grammar) parser and the reference disagree on \(shown(value))",
            expected: expected, found: found)
    }
}
