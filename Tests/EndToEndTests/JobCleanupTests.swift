import Foundation
import TestSupport
import Testing

/// The job's work directory and its secrets folder are removed on every
/// path that created them, through the real agent.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct JobCleanupTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var script: String
        var settings: [String: String] = [:]
        var exit: Int32
        var code: String
        var description: String { name }
    }

    /// Each script copies its secret into its work directory (and its
    /// artifacts), so a directory left behind would keep it in plain text.
    static let leak =
        #"cat "$SF_SECRETS_DIR/api_token" > "$HOME/copy.txt"; cp "$HOME/copy.txt" "$SF_ARTIFACTS_DIR/copy.txt""#

    static let cases: [Case] = [
        Case(
            name: "launch-error", script: "echo never", settings: ["interpreter.sh": "ROOT/root-only-sh"], exit: 71,
            code: "launch_error"),
        Case(
            name: "timeout", script: leak + "\nsleep 60", settings: ["run.timeout": "1s", "run.kill_grace": "1s"],
            exit: 124, code: "timed_out"),
        Case(name: "cancel", script: leak + "\ntouch \"$HOME/started\"; sleep 60", exit: 125, code: "cancelled"),
        Case(
            name: "too-big", script: leak + "\nhead -c 4096 /dev/zero > \"$SF_ARTIFACTS_DIR/big.bin\"",
            settings: ["artifacts.max_bytes": "1024"], exit: 74, code: "artifacts_rejected"),
        Case(
            name: "secret", script: leak, settings: ["artifacts.scan_secrets": "fail"], exit: 74,
            code: "artifacts_rejected"),
        Case(
            name: "full", script: leak + "\nhead -c 8388608 /dev/urandom > \"$SF_ARTIFACTS_DIR/random.bin\"", exit: 74,
            code: "output_error"),
        Case(
            name: "provenance",
            script: leak + "\ntouch \"$HOME/started\"; while [ ! -e \"$HOME/go\" ]; do sleep 0.1; done",
            exit: 74, code: "output_error"),
    ]

    @Test(arguments: cases)
    func noWorkDirectoryOrSecretsFolderOutlivesTheJob(_ failure: Case) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["job.sh": failure.script])
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "cleanup-secret-4711\n".write(toFile: secrets + "/api_token", atomically: true, encoding: .utf8)
        let filesRoot = world.root + "/run-secrets"
        var settings = ["secrets.dir": secrets, "secrets.expose": "files", "secrets.files_dir": filesRoot]
        for (key, value) in failure.settings { settings[key] = value.replacing("ROOT", with: world.root) }
        let jobID = "clean-\(failure.name)"
        let job = ["JOB_ID": jobID, "SCRIPT_ID": "job"]
        if failure.name == "launch-error" {
            // An interpreter only root may execute: the switch to runner cannot exec it.
            try "#!/bin/sh\nexec /bin/sh \"$@\"\n".write(
                toFile: world.root + "/root-only-sh", atomically: true, encoding: .utf8)
            chmod(world.root + "/root-only-sh", 0o700)
        }
        if failure.name == "full" {
            try FileManager.default.createDirectory(atPath: world.output, withIntermediateDirectories: true)
            try Command.check("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", world.output])
        }
        defer { if failure.name == "full" { _ = try? Command.check("/bin/umount", [world.output]) } }

        let status: Int32
        let workDirectory = world.work + "/" + jobID
        switch failure.name {
        case "cancel":
            let agent = try world.startAgent(job: job, settings: settings)
            #expect(world.waitFor(workDirectory + "/started"))
            kill(agent.processIdentifier, SIGTERM)
            agent.waitUntilExit()
            status = agent.terminationStatus
        case "provenance":
            // A folder where provenance.json must go: its rename fails (EISDIR) after the archive is published.
            let agent = try world.startAgent(job: job, settings: settings)
            #expect(world.waitFor(workDirectory + "/started"))
            try FileManager.default.createDirectory(
                atPath: world.outputFolder(jobID) + "/provenance.json/in-the-way", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: workDirectory + "/go", contents: nil)
            agent.waitUntilExit()
            status = agent.terminationStatus
        default:
            status = try world.agent(job: job, settings: settings).status
        }

        #expect(status == failure.exit)
        try world.validateResult(jobID)
        let error = try #require(try world.result(jobID)["error"] as? [String: Any])
        #expect(error["code"] as? String == failure.code, "\(error)")
        if failure.name == "provenance" {
            #expect((error["message"] as? String)?.contains("provenance.json") == true, "\(error)")
        }
        #expect(
            !FileManager.default.fileExists(atPath: workDirectory),
            "the work directory (with the secret's copy) is removed")
        #expect(!FileManager.default.fileExists(atPath: filesRoot + "/" + jobID), "the secrets folder is removed")
    }
}
