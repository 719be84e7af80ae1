import Foundation
import TestSupport
import Testing

/// Hostile scripts against the file system sandbox, as the root-and-drop
/// agent and as a non-root agent (where Landlock alone keeps the checkout
/// read-only: the script owns it).
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SandboxFileSystemTests {
    static let attack = """
        cd "$(dirname "$0")"
        try() { if "$@" 2>/dev/null; then echo "SUCCEEDED: $*"; else echo "refused: $*"; fi; }
        try sh -c 'echo owned > victim.txt'
        try sh -c 'echo owned >> victim.txt'
        try truncate -s 0 victim.txt
        try python3 -c 'import os; os.truncate("victim.txt", 0)'
        try rm -f victim.txt
        try mv victim.txt moved.txt
        try sh -c 'chmod u+w victim.txt; echo owned > victim.txt'
        try sh -c 'chmod u+w . sub; rm -f sub/inner.txt'
        try sh -c 'chmod u+w .; mv victim.txt moved.txt'
        try sh -c 'chmod u+w .; touch created.txt'
        try sh -c 'chmod u+w .; mkdir newdir'
        try sh -c 'chmod u+w .; ln -s /etc/shadow link'
        echo done > "$SF_ARTIFACTS_DIR/ran.txt"
        """

    func checkAttack(launcher: [String], jobID: String, prepare: (AgentWorld) throws -> Void) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try prepare(world)
        let commit = try world.commit([
            "victim.txt": "original\n", "sub/inner.txt": "inner\n", "attack.sh": Self.attack,
        ])
        let run = try world.agent(job: ["JOB_ID": jobID, "SCRIPT_ID": "attack"], launcher: launcher)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult(jobID)
        let log = try world.readOutput(jobID, "stdout.log")
        #expect(!log.contains("SUCCEEDED"), "\(log)")
        #expect(log.components(separatedBy: "refused:").count - 1 == 12, "\(log)")
        let checkout = world.cache + "/checkouts/" + commit
        #expect(try String(contentsOfFile: checkout + "/victim.txt", encoding: .utf8) == "original\n")
        #expect(try String(contentsOfFile: checkout + "/sub/inner.txt", encoding: .utf8) == "inner\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: checkout).sorted() == [
                "attack.sh", "sub", "victim.txt",
            ])
        #expect(try world.listArtifacts(jobID) == ["ran.txt"], "the work directory stays writable")
        let landlock = try #require(try world.sandbox(jobID)["landlock"] as? [String: Any])
        #expect(landlock["enforced"] as? Bool == true)
        #expect((landlock["abi"] as? Int ?? 0) >= 1)
    }

    @Test func theCheckoutStaysIntactUnderTheRootAndDropAgent() throws {
        try checkAttack(launcher: [], jobID: "attack-root") { _ in }
    }

    @Test func theCheckoutStaysIntactUnderANonRootAgent() throws {
        try checkAttack(launcher: AgentWorld.nonRootLauncher, jobID: "attack-nonroot") {
            try $0.prepareForNonRootAgent()
        }
    }

    /// Paths of things the script must not read; each is world-readable, so
    /// only the sandbox stands in the way.
    static let snoop = """
        try() { if "$@" >/dev/null 2>&1; then echo "SUCCEEDED: $*"; else echo "refused: $*"; fi; }
        for path in "$@"; do
            case "$path" in --*) ;; */) try ls "$path" ;; *) try cat "$path" ;; esac
        done
        try cat /etc/hostname
        """

    func checkSecrets(launcher: [String], jobID: String, prepare: (AgentWorld) throws -> Void) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try prepare(world)
        try world.commit(["snoop.sh": Self.snoop])
        // Another job's checkout and output, the cache's repositories, the
        // agent's configuration, a credential file.
        let other = try world.plant(
            "cache/checkouts/" + String(repeating: "a", count: 40) + "/other.txt", "other job\n")
        let otherOutput = try world.plant("output/other-job/result.json", "{}\n")
        let credential = try world.plant("secrets/token", "s3cr3t\n")
        _ = FileManager.default.createFile(
            atPath: world.root + "/agent.conf", contents: Data("run.user = runner\n".utf8))
        if !launcher.isEmpty {
            try Command.check("/bin/chown", ["-R", "10001:10001", world.cache, world.output])
        }
        let targets = [
            other, otherOutput, credential, world.root + "/agent.conf", world.cache + "/repos/",
            world.cache + "/checkouts/",
        ]
        let parameters = try String(data: JSONSerialization.data(withJSONObject: ["x": targets]), encoding: .utf8) ?? ""
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "snoop", "PARAMETERS": parameters], launcher: launcher)
        #expect(run.status == 0, "\(run.stderr)")
        let log = try world.readOutput(jobID, "stdout.log")
        #expect(!log.contains("SUCCEEDED: cat /tmp") && !log.contains("SUCCEEDED: ls /tmp"), "\(log)")
        #expect(log.contains("SUCCEEDED: cat /etc/hostname"), "system read paths stay readable: \(log)")
        #expect(log.components(separatedBy: "refused:").count - 1 == targets.count, "\(log)")

        // With the whole world under sandbox.read_paths, what the agent keeps
        // for itself is still out of reach, and a plain file is readable.
        let plain = try world.plant("plain.txt", "plain\n")
        let wide = try world.agent(
            job: [
                "JOB_ID": jobID + "-wide", "SCRIPT_ID": "snoop",
                "PARAMETERS": parameters.replacingOccurrences(of: "\"x\":[", with: "\"x\":[\"\(plain)\","),
            ],
            settings: ["sandbox.read_paths": "/usr,/bin,/lib,/lib64,/etc,\(world.root)"], launcher: launcher)
        #expect(wide.status == 0, "\(wide.stderr)")
        let wideLog = try world.readOutput(jobID + "-wide", "stdout.log")
        #expect(wideLog.contains("SUCCEEDED: cat \(plain)"), "\(wideLog)")
        #expect(wideLog.contains("SUCCEEDED: cat \(credential)"), "a read path is readable: \(wideLog)")
        for kept in [other, otherOutput, world.root + "/agent.conf"] {
            #expect(wideLog.contains("refused: cat \(kept)"), "\(kept): \(wideLog)")
        }
        #expect(wideLog.contains("refused: ls \(world.cache)/repos/"), "\(wideLog)")
    }

    @Test func secretsCacheAndOtherJobsAreUnreadableAsRootAndDrop() throws {
        try checkSecrets(launcher: [], jobID: "snoop-root") { _ in }
    }

    @Test func secretsCacheAndOtherJobsAreUnreadableUnderANonRootAgent() throws {
        try checkSecrets(launcher: AgentWorld.nonRootLauncher, jobID: "snoop-nonroot") {
            try $0.prepareForNonRootAgent()
        }
    }
}
