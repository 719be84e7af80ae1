import Foundation
import TestSupport
import Testing

/// docs/reproducible-runs.md's example is run as written: its script block
/// with bash against a real repository, and every line of its output block
/// must appear in what it prints.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct ReproducibleRunsDocumentationTests {
    /// The fenced block right after `<!-- example: NAME -->`.
    static func block(_ name: String, in document: String) throws -> String {
        let marker = try #require(document.range(of: "<!-- example: \(name) -->"))
        let rest = document[marker.upperBound...]
        let open = try #require(rest.range(of: "```"))
        let bodyStart = try #require(rest[open.upperBound...].firstIndex(of: "\n"))
        let body = rest[rest.index(after: bodyStart)...]
        let close = try #require(body.range(of: "\n```"))
        return String(body[..<close.lowerBound])
    }

    @Test func theExampleRunsAsDocumented() throws {
        let document = try String(
            contentsOfFile: AgentWorld.projectRoot + "/docs/reproducible-runs.md", encoding: .utf8)
        let script = try Self.block("script", in: document)
        let expected = try Self.block("output", in: document).split(separator: "\n")
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["build.sh": ReplayCommandTests.deterministic])
        _ = FileManager.default.createFile(atPath: world.root + "/agent.conf", contents: Data())
        let binaryFolder = URL(fileURLWithPath: AgentWorld.agentBinary).deletingLastPathComponent().path
        let environment = [
            "PATH": binaryFolder + ":/usr/bin:/bin", "SF_CONFIG": world.root + "/agent.conf", "WORK": world.root,
            "SF_REPO_URL": world.repository, "SF_CACHE_DIR": world.cache, "SF_WORK_DIR": world.work,
            "SF_OUTPUT_DIR": world.output,
            "SF_POLICY_ALLOWED_SCRIPTS": "*", "SF_RUN_USER": "runner",
        ]
        let run = try Command.run("/bin/bash", ["-e", "-c", script], environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        var remaining = Substring(run.stdout)
        for line in expected {
            guard let found = remaining.range(of: line) else {
                Issue.record("the example's output lacks `\(line)` (in order): \(run.stdout)\(run.stderr)")
                return
            }
            remaining = remaining[found.upperBound...]
        }
    }
}
