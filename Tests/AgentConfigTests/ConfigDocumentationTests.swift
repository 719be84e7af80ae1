import AgentSystem
import ConfigKeys
import Testing

@testable import AgentConfig

/// Every key in code must be in agent.conf.example (with its default) and in
/// docs/configuration.md (with its environment name), so the docs cannot rot.
@Suite struct ConfigDocumentationTests {
    static let root = Path.parent(of: Path.parent(of: Path.parent(of: #filePath)))

    func read(_ relative: String) throws -> String {
        String(decoding: try FileSystem.readFile(Path.join(Self.root, relative)), as: UTF8.self)
    }

    @Test func exampleListsEveryKeyWithItsDefault() throws {
        let example = try read("agent.conf.example")
        for key in ConfigKey.all {
            let line = key.defaultValue.isEmpty ? "# \(key.name) =" : "# \(key.name) = \(key.defaultValue)"
            #expect(example.contains(line), "agent.conf.example lacks `\(line)`")
        }
    }

    @Test func exampleParsesWhenUncommented() throws {
        let example = try read("agent.conf.example")
        let uncommented = example.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let body = line.dropFirst(2)
            let isSetting = line.hasPrefix("# ") && ConfigKey.all.contains { body.hasPrefix("\($0.name) =") }
            return isSetting ? String(body) : String(line)
        }.joined(separator: "\n")
        let values = try ConfigFileParser.parse(uncommented, path: "agent.conf.example")
        #expect(Set(values.keys) == Set(ConfigKey.all.map(\.name)))
    }

    @Test func referenceDocumentsEveryKey() throws {
        let reference = try read("docs/configuration.md")
        for key in ConfigKey.all {
            #expect(reference.contains("`\(key.name)`"), "docs/configuration.md lacks \(key.name)")
            #expect(
                reference.contains("`\(key.environmentName)`"), "docs/configuration.md lacks \(key.environmentName)")
        }
    }
}
