import AgentSystem
import Testing

@testable import Report

/// docs/result.schema.json must name every status and error code the code can produce.
@Suite struct ResultSchemaDocumentationTests {
    static let root = Path.parent(of: Path.parent(of: Path.parent(of: #filePath)))

    @Test func schemaListsEveryStatusAndErrorCode() throws {
        let schema = String(
            decoding: try FileSystem.readFile(Path.join(Self.root, "docs/result.schema.json")), as: UTF8.self)
        for status in JobStatus.allCases { #expect(schema.contains("\"\(status.rawValue)\""), "\(status)") }
        for code in JobError.Code.allCases { #expect(schema.contains("\"\(code.rawValue)\""), "\(code)") }
    }

    @Test func readmeListsEveryExitCode() throws {
        let readme = String(decoding: try FileSystem.readFile(Path.join(Self.root, "README.md")), as: UTF8.self)
        for code in AgentExitCode.allCases {
            #expect(readme.contains("| \(code.rawValue) |"), "README lacks exit code \(code.rawValue)")
        }
    }
}
