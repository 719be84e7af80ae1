import Foundation
import TestSupport
import Testing

/// libgit2 and libarchive (and the twenty-odd libraries they bring) are not
/// linked: the agent opens each when a job first needs it. The dynamic
/// loader's own account (LD_DEBUG=files) says what a start mapped; a library
/// hidden behind /dev/null in a mount namespace of the test's own shows what
/// a job says when one cannot be opened.
@Suite(.requiresRoot) struct LazyLibraryTests {
    /// The libraries whose files the loader opened for `run` (its children included).
    static func librariesLoaded(
        world: AgentWorld, trace name: String, _ run: (_ environment: [String: String]) throws -> Command.Output
    )
        throws -> String
    {
        let output = try run(["LD_DEBUG": "files", "LD_DEBUG_OUTPUT": world.root + "/ld-\(name)"])
        #expect(output.status == 0, "\(output.stderr)")
        let traces = try FileManager.default.contentsOfDirectory(atPath: world.root).filter {
            $0.hasPrefix("ld-\(name).")
        }
        #expect(!traces.isEmpty, "the loader wrote no trace")
        return try traces.map { try String(contentsOfFile: world.root + "/" + $0, encoding: .utf8) }.joined()
    }

    @Test func versionOpensNeitherLibgit2NorLibarchive() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let loaded = try Self.librariesLoaded(world: world, trace: "version") { environment in
            try Command.run(AgentWorld.agentBinary, ["version"], environment: environment)
        }
        #expect(loaded.contains("libc.so"), "the trace names what was loaded")
        #expect(!loaded.contains("libgit2"))
        #expect(!loaded.contains("libarchive"))
    }

    @Test func aWarmPinnedJobOpensNoLibgit2() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["ok.sh": "echo fine"])
        func job(_ id: String) throws -> String {
            try Self.librariesLoaded(world: world, trace: id) { environment in
                try world.agent(
                    job: ["JOB_ID": id, "SCRIPT_ID": "ok"].merging(environment) { $1 }, settings: ["repo.ref": commit])
            }
        }
        let cold = try job("cold")
        #expect(cold.contains("libgit2.so.1.5"), "the first job reads the repository with libgit2")
        let warm = try job("warm")
        #expect(!warm.contains("libgit2"), "the checkout was complete: no git was needed")
        #expect(warm.contains("libarchive.so.13"), "every job archives its artifacts")
        #expect(try world.result("warm")["status"] as? String == "succeeded")
    }

    /// `library` replaced by /dev/null for the agent and its children only.
    static func hiding(_ library: String) throws -> [String] {
        let cache = try Command.check("/sbin/ldconfig", ["-p"])
        let line = try #require(
            cache.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(library + " ") })
        let path = try #require(line.components(separatedBy: " => ").last)
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return [
            "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount --bind /dev/null \"$0\" && exec \"$@\"", file,
        ]
    }

    @Test func aJobWithoutLibgit2FailsNamingIt() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo ran > \(world.markers)/ran"])
        let run = try world.agent(
            job: ["JOB_ID": "nogit", "SCRIPT_ID": "ok"], launcher: try Self.hiding("libgit2.so.1.5"))
        #expect(run.status != 0)
        let error = try #require(try world.result("nogit")["error"] as? [String: Any])
        #expect(error["code"] as? String == "source_error", "\(error)")
        let message = try #require(error["message"] as? String)
        #expect(message.contains("Cannot initialize libgit2: the library cannot be loaded ("), "\(message)")
        #expect(message.contains("libgit2.so.1.5"), "\(message)")
        #expect(message.contains("install Debian's libgit2-1.5"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: world.markers + "/ran"), "nothing ran without its source")
    }

    @Test func aJobWithoutLibarchiveKeepsItsLogsAndNamesIt() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo fine"])
        let run = try world.agent(
            job: ["JOB_ID": "noarchive", "SCRIPT_ID": "ok"], launcher: try Self.hiding("libarchive.so.13"))
        #expect(run.status != 0)
        let result = try world.result("noarchive")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "output_error", "\(error)")
        let message = try #require(error["message"] as? String)
        #expect(message.contains("libarchive cannot be loaded ("), "\(message)")
        #expect(message.contains("libarchive.so.13"), "\(message)")
        #expect(message.contains("install Debian's libarchive13"), "\(message)")
        #expect(try world.readOutput("noarchive", "stdout.log") == "fine\n")
    }
}
