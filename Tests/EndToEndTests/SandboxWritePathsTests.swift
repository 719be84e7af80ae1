import Foundation
import TestSupport
import Testing

/// What a script may write besides its work directory: its own `/dev/shm`
/// (never the host's), and what `sandbox.write_paths` grants, minus the
/// agent's own folders and files even when a write path holds them.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SandboxWritePathsTests {
    static let writer = """
        for path in "$@"; do
          case "$path" in --*) continue ;; esac
          if (echo written > "$path") 2>/dev/null; then echo "WROTE $path"; else echo "refused $path"; fi
        done
        """

    func check(nonRoot: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        if nonRoot { try world.prepareForNonRootAgent() }
        try world.commit(["writer.sh": Self.writer])
        // Open to everyone: only the sandbox can stop a write.
        for folder in [world.root + "/shared", world.output, world.cache] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(folder, 0o1777)
        }
        let marker = "sf-shm-\(UUID().uuidString.prefix(8))"
        let targets = [
            world.root + "/shared/file", world.output + "/planted", world.cache + "/planted", "/tmp/\(marker)",
            "/dev/shm/\(marker)",
        ]
        let parameters = String(decoding: try JSONSerialization.data(withJSONObject: ["x": targets]), as: UTF8.self)
        let launcher = nonRoot ? AgentWorld.nonRootLauncher : []
        defer { for path in targets { unlink(path) } }

        let closed = try world.agent(
            job: ["JOB_ID": "closed", "SCRIPT_ID": "writer", "PARAMETERS": parameters], launcher: launcher)
        #expect(closed.status == 0, "\(closed.stderr)")
        let closedLog = try world.readOutput("closed", "stdout.log")
        for path in targets.dropLast() { #expect(closedLog.contains("refused \(path)"), "\(closedLog)") }
        #expect(closedLog.contains("WROTE /dev/shm/\(marker)"), "the job's own /dev/shm: \(closedLog)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/shm/\(marker)"), "the host's /dev/shm never sees it")
        #expect(try world.sandbox("closed")["shm"] as? String == "private")

        let open = try world.agent(
            job: ["JOB_ID": "open", "SCRIPT_ID": "writer", "PARAMETERS": parameters],
            settings: ["sandbox.write_paths": world.root], launcher: launcher)
        #expect(open.status == 0, "\(open.stderr)")
        let openLog = try world.readOutput("open", "stdout.log")
        #expect(openLog.contains("WROTE \(world.root)/shared/file"), "\(openLog)")
        for kept in [world.output + "/planted", world.cache + "/planted", "/tmp/\(marker)"] {
            #expect(openLog.contains("refused \(kept)"), "the agent's folders stay out of a write path: \(openLog)")
        }
        #expect(try String(contentsOfFile: world.root + "/shared/file", encoding: .utf8) == "written\n")
    }

    /// A work directory under /dev/shm would vanish under the job's private
    /// /dev/shm: the job is refused, naming work.dir, instead of failing to start.
    @Test func aWorkDirectoryUnderDevShmIsRefusedByName() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo fine"])
        let shm = try TemporaryDirectory("sf-test-work", in: "/dev/shm")
        let work = shm.path + "/work"  // not there yet: made below, for the link
        let run = try world.agent(job: ["JOB_ID": "shmwork", "SCRIPT_ID": "ok"], settings: ["work.dir": work])
        let result = try world.result("shmwork")
        let sandbox = result["sandbox"] as? [String: Any]
        if (sandbox?["shm"] as? String) == "container" || run.status == 0 {
            // No private /dev/shm on this host (no namespaces): nothing to hide.
            #expect(run.status == 0, "\(run.stderr)")
            return
        }
        #expect(run.status == 78, "\(run.stderr)")
        #expect((result["error"] as? [String: Any])?["code"] as? String == "config_error")
        #expect(run.stderr.contains("work.dir puts \(work)"), "\(run.stderr)")

        // The same through a link whose target is under /dev/shm (the job's own
        // folder does not exist yet when the sandbox is planned).
        let link = world.root + "/work-link"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: work)
        let linked = try world.agent(job: ["JOB_ID": "shmlink", "SCRIPT_ID": "ok"], settings: ["work.dir": link])
        #expect(linked.status == 78, "\(linked.stderr)")
        #expect(linked.stderr.contains("work.dir puts \(link)"), "\(linked.stderr)")
    }

    @Test func asRootAndDrop() throws { try check(nonRoot: false) }

    @Test func underANonRootAgent() throws { try check(nonRoot: true) }
}
