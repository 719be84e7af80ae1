import ConfigKeys

@testable import AgentConfig

/// Fuzzes `agent.conf`: the file parser, the value parsers and the typed
/// configuration built from them.
///
/// Input: a mode byte; modes 0–2 take the rest as a file, mode 3 a value
/// grammar selector and a value.
/// Properties:
/// - `ConfigFileParser` agrees with ``ReferenceConfigFile``: the same
///   values with the same lines, or an error of the same kind naming the
///   same line;
/// - accepted values, rendered as quoted lines, parse back to themselves;
/// - `AgentConfiguration` either builds, or names a key whose value and
///   source are the ones it was given; a built configuration, rendered
///   back to values (``ConfigRendering``), builds an equal configuration;
/// - each value parser agrees with ``ReferenceValues``.
enum Harness {
    static let path = "agent.conf"
    static let knownKeys = Set(ConfigKey.all.map(\.name))

    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        let mode = reader.byte() % 4
        if mode == 3 {
            ValueGrammarCheck.run(selector: reader.byte(), value: String(decoding: reader.remaining(), as: UTF8.self))
            return
        }
        let text = String(decoding: reader.remaining(), as: UTF8.self)
        let expected = ReferenceConfigFile.read(Array(text.utf8), knownKeys: knownKeys)
        let values: [String: SourcedValue]
        do {
            values = try ConfigFileParser.parse(text, path: path)
        } catch {
            let found = fault(of: error)
            Property.expect(
                found.map { ReferenceConfigFile.Outcome.fault(line: $0.line, kind: $0.kind) } == expected,
                "the parser's error \(error) and the reference disagree on \(shown(text))", expected: expected,
                found: error)
            return
        }
        let asReference = values.mapValues { value -> ReferenceConfigFile.Value in
            guard case .file(path, let line) = value.source else { Property.fail("a file value from \(value.source)") }
            return ReferenceConfigFile.Value(bytes: Array(value.value.utf8), line: line)
        }
        Property.expect(
            ReferenceConfigFile.Outcome.values(asReference) == expected,
            "the parser's values and the reference disagree on \(shown(text))",
            expected: expected, found: asReference)
        checkRenderedFile(values)
        checkTypedConfiguration(values)
    }

    /// The line and kind an error names; nil for an error the file parser may not throw.
    static func fault(of error: ConfigError) -> (line: Int, kind: ReferenceConfigFile.Fault)? {
        guard case .file(path, let line)? = error.source else { return nil }
        return switch error.code {
        case .malformedLine: (line, .malformed)
        case .unknownKey: (line, .unknownKey)
        case .duplicateKey: (line, .duplicate)
        case .inlineComment: (line, .inlineComment)
        default: nil
        }
    }

    /// Quoted, one per line, the values read back the same.
    static func checkRenderedFile(_ values: [String: SourcedValue]) {
        guard values.values.allSatisfy({ !$0.value.utf8.contains(0x0a) }) else { return }
        let order = ConfigKey.all.map(\.name).filter { values[$0] != nil }
        let rendered = ReferenceConfigFile.render(values.mapValues(\.value), order: order)
        do {
            let again = try ConfigFileParser.parse(rendered, path: path)
            Property.expect(
                again.mapValues(\.value) == values.mapValues(\.value),
                "rendered values read back unchanged from \(shown(rendered))",
                expected: values.mapValues(\.value), found: again.mapValues(\.value))
        } catch {
            Property.fail("rendered values \(shown(rendered)) are refused: \(error)")
        }
    }

    static func checkTypedConfiguration(_ values: [String: SourcedValue]) {
        let flags = values["repo.url"] == nil ? ["repo.url": "/srv/scripts"] : [:]
        var merged: [ConfigKey: SourcedValue] = [:]
        let config: AgentConfiguration
        do {
            // Layering refuses a bad `config.ignore_environment` (a file-only key).
            merged = try ConfigLayers.merge(file: values, environment: [:], flags: flags)
            config = try AgentConfiguration(values: merged)
        } catch {
            checkRefusal(error, values: merged.isEmpty ? fileValues(values) : merged)
            return
        }
        // Rendered values go in as a file: a file-only key cannot be a flag.
        let rendered = ConfigRendering.values(of: config, raw: merged).mapValues {
            SourcedValue($0, from: .file(path: path, line: 1))
        }
        do {
            let again = try AgentConfiguration(values: ConfigLayers.merge(file: rendered, environment: [:], flags: [:]))
            Property.expect(
                again == config, "a rendered configuration builds the same configuration", expected: config,
                found: again)
        } catch {
            Property.fail("the rendered configuration \(rendered) is refused: \(error)")
        }
    }

    /// The file's values by key.
    static func fileValues(_ values: [String: SourcedValue]) -> [ConfigKey: SourcedValue] {
        Dictionary(uniqueKeysWithValues: values.compactMap { name, value in ConfigKey.named(name).map { ($0, value) } })
    }

    /// A refusal names a key with the value and source it was given.
    static func checkRefusal(_ error: ConfigError, values: [ConfigKey: SourcedValue]) {
        switch error.code {
        case .invalidValue:
            let name = error.key ?? ""
            let value = error.value ?? ""
            let source = error.source ?? .builtInDefault
            let key = ConfigKey.named(name)
            Property.expect(key != nil, "an invalid value names a known key", found: name)
            Property.expect(
                key.flatMap { values[$0] } == SourcedValue(value, from: source),
                "the refusal of `\(name)` shows its value and source",
                expected: key.flatMap { values[$0] } as Any, found: SourcedValue(value, from: source))
        case .missingValue:
            let key = ConfigKey.named(error.key ?? "")
            Property.expect(key != nil, "a missing value names a known key", found: error.key as Any)
            guard let key else { return }
            Property.expect(
                values[key]?.value.isEmpty == true, "a missing value is an empty one", found: values[key] as Any)
        default:
            Property.fail("building a configuration threw \(error)")
        }
    }
}
