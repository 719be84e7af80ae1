import Foundation
import TestSupport
import Testing

/// Artifacts limits, secret scanning, ENOSPC and output ownership, through the real agent.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct ArtifactsJobTests {
    /// The job's files, without the `JOB_ID` lock and the attempt marker.
    func names(in folder: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder)).subtracting([".lock", ".attempt"])
    }

    @Test func overMaxFilesNothingIsPublishedAndTheStatusSaysWhy() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["many.sh": #"for i in 1 2 3 4 5; do echo $i > "$SF_ARTIFACTS_DIR/f$i"; done"#])
        let run = try world.agent(job: ["JOB_ID": "many", "SCRIPT_ID": "many"], settings: ["artifacts.max_files": "2"])
        #expect(run.status == 74, "\(run.stderr)")
        try world.validateResult("many")
        let result = try world.result("many")
        #expect(result["status"] as? String == "error")
        #expect(result["exit_code"] as? Int == 0, "the script's own code is kept")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "artifacts_rejected")
        #expect(error["rule"] as? String == "artifacts.max_files")
        #expect((error["message"] as? String)?.contains("they hold 5 entries, 3 over") == true, "\(error)")
        #expect(result["artifacts"] is NSNull)
        #expect(
            try names(in: world.outputFolder("many")) == ["stdout.log", "stderr.log", "combined.log", "result.json"])
    }

    @Test func secretInAnArtifactFailsTheJobWhenAsked() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["dump.sh": #"env > "$SF_ARTIFACTS_DIR/env.txt""#])
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "artifact-secret-123".write(toFile: secrets + "/token", atomically: false, encoding: .utf8)
        let settings = ["secrets.dir": secrets, "artifacts.scan_secrets": "fail"]
        let run = try world.agent(job: ["JOB_ID": "dump", "SCRIPT_ID": "dump"], settings: settings)
        #expect(run.status == 74, "\(run.stderr)")
        let error = try #require(try world.result("dump")["error"] as? [String: Any])
        #expect(error["code"] as? String == "artifacts_rejected")
        #expect(error["rule"] as? String == "artifacts.scan_secrets")
        #expect((error["message"] as? String)?.contains("env.txt") == true)
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("dump") + "/artifacts.tar.gz"))

        let warned = try world.agent(job: ["JOB_ID": "dump2", "SCRIPT_ID": "dump"], settings: ["secrets.dir": secrets])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("The artifact env.txt holds a secret value"))
        let artifacts = try #require(try world.result("dump2")["artifacts"] as? [String: Any])
        #expect(artifacts["secret_files"] as? [String] == ["env.txt"])
        try world.validateResult("dump2")
    }

    @Test func fullOutputVolumeIsAnErrorWithNoPartialFile() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["big.sh": #"head -c 8388608 /dev/urandom > "$SF_ARTIFACTS_DIR/random.bin"; echo done"#])
        try FileManager.default.createDirectory(atPath: world.output, withIntermediateDirectories: true)
        try Command.check("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", world.output])
        defer { _ = try? Command.check("/bin/umount", [world.output]) }
        let run = try world.agent(job: ["JOB_ID": "full", "SCRIPT_ID": "big"])
        #expect(run.status == 74, "\(run.stderr)")
        try world.validateResult("full")
        let result = try world.result("full")
        #expect(result["status"] as? String == "error")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "output_error")
        #expect((error["message"] as? String)?.contains("No space left on device") == true, "\(error)")
        let left = try names(in: world.outputFolder("full"))
        #expect(
            left == ["stdout.log", "stderr.log", "combined.log", "result.json"], "no partial or temporary file: \(left)"
        )
    }

    @Test func outputOwnerAndManifest() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["one.sh": #"printf 'payload\n' > "$SF_ARTIFACTS_DIR/one.txt""#])
        let run = try world.agent(
            job: ["JOB_ID": "own", "SCRIPT_ID": "one"],
            settings: ["output.owner": "4242:4343", "artifacts.compression": "zstd"])
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("own")
        let folder = world.outputFolder("own")
        for name in try names(in: folder).union(["."]) {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            #expect(attributes[.ownerAccountID] as? Int == 4242, "\(name)")
            #expect(attributes[.groupOwnerAccountID] as? Int == 4343, "\(name)")
        }
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")))
            as? [String: Any]
        let entries = try #require(manifest?["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["path"] as? String == "one.txt")
        let extracted = try world.extractArtifacts("own", file: "artifacts.tar.zst")
        let digest = try Command.check("/usr/bin/sha256sum", [extracted + "/one.txt"]).prefix(64)
        #expect(entries.first?["sha256"] as? String == String(digest))
        let artifacts = try #require(try world.result("own")["artifacts"] as? [String: Any])
        #expect(artifacts["manifest"] as? String == "manifest.json")
        #expect(artifacts["file_bytes"] as? Int == 8)
    }

    /// Issue #10, part 4: a file named after a secret, and a symlink whose
    /// target holds one, are masked in the archive, manifest.json,
    /// result.json and the log lines, and count as finds.
    @Test func aSecretInANameOrLinkTargetIsMaskedEverywhereAndCounted() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "names.sh": """
            touch "$SF_ARTIFACTS_DIR/name-$SECRET_TOKEN.txt"
            ln -s "/srv/$SECRET_TOKEN" "$SF_ARTIFACTS_DIR/link"
            echo plain > "$SF_ARTIFACTS_DIR/plain.txt"
            """
        ])
        let secret = "artifact-secret-123"
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try secret.write(toFile: secrets + "/token", atomically: false, encoding: .utf8)

        let warned = try world.agent(
            job: ["JOB_ID": "names", "SCRIPT_ID": "names"], settings: ["secrets.dir": secrets])
        #expect(warned.status == 0, "\(warned.stderr)")
        try world.validateResult("names")
        let artifacts = try #require(try world.result("names")["artifacts"] as? [String: Any])
        #expect(artifacts["secret_files"] as? [String] == ["link", "name-***.txt"])
        #expect(warned.stderr.contains("The artifact name-***.txt holds a secret value"), "\(warned.stderr)")
        #expect(try world.listArtifacts("names") == ["link", "name-***.txt", "plain.txt"])
        let listing = try Command.check("/usr/bin/tar", ["-tvf", world.outputFolder("names") + "/artifacts.tar.gz"])
        #expect(listing.contains("link -> /srv/***"), "\(listing)")
        let manifest = try world.readOutput("names", "manifest.json")
        #expect(manifest.contains("\"name-***.txt\"") && manifest.contains("\"/srv/***\""), "\(manifest)")
        let raw = try Command.run("/bin/gzip", ["-dc", world.outputFolder("names") + "/artifacts.tar.gz"])
        #expect(raw.standardOutput.range(of: Data(secret.utf8)) == nil, "no tar header holds it")
        for name in try names(in: world.outputFolder("names")) {
            let data = try #require(FileManager.default.contents(atPath: world.outputFolder("names") + "/" + name))
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(name) holds the secret")
        }
        #expect(!warned.stdout.contains(secret) && !warned.stderr.contains(secret))

        let failed = try world.agent(
            job: ["JOB_ID": "names2", "SCRIPT_ID": "names"],
            settings: ["secrets.dir": secrets, "artifacts.scan_secrets": "fail"])
        #expect(failed.status == 74, "\(failed.stderr)")
        try world.validateResult("names2")
        let error = try #require(try world.result("names2")["error"] as? [String: Any])
        #expect(error["code"] as? String == "artifacts_rejected")
        #expect(error["rule"] as? String == "artifacts.scan_secrets")
        let message = try #require(error["message"] as? String)
        #expect(message.contains("link, name-***.txt"), "\(message)")
        #expect(!message.contains(secret) && !failed.stderr.contains(secret))
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("names2") + "/artifacts.tar.gz"))
    }

    /// Runs the agent under a seccomp filter that answers openat2 (437) with
    /// ENOSYS, as a kernel before 5.6 (or a container profile that predates
    /// it) would.
    static let withoutOpenat2 = MissingSyscallLauncher.make(437...437)

    /// Without openat2 the artifacts are not archived (never walked by
    /// path instead), and the error names the kernel requirement.
    @Test func withoutOpenat2NothingIsArchivedAndTheErrorSaysWhy() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["one.sh": #"printf 'payload\n' > "$SF_ARTIFACTS_DIR/one.txt""#])
        let run = try world.agent(job: ["JOB_ID": "old-kernel", "SCRIPT_ID": "one"], launcher: Self.withoutOpenat2)
        #expect(run.status == 74, "\(run.stderr)")
        try world.validateResult("old-kernel")
        let result = try world.result("old-kernel")
        #expect(result["status"] as? String == "error")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "output_error")
        let message = try #require(error["message"] as? String)
        #expect(message.contains("openat2") && message.contains("Linux 5.6"), "\(message)")
        #expect(
            try names(in: world.outputFolder("old-kernel")) == [
                "stdout.log", "stderr.log", "combined.log", "result.json",
            ])
    }

    /// Ctrl-C at a terminal signals the agent's whole process group, the
    /// artifacts reader included: the agent latches it, and the reader
    /// ignores it, so the archive is finished and published.
    @Test func aSignalToTheAgentsProcessGroupDoesNotCutTheArchiveShort() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["big.sh": #"head -c 67108864 /dev/urandom > "$SF_ARTIFACTS_DIR/random.bin""#])
        // Foundation starts the agent as the leader of a process group of its own.
        let agent = try world.startAgent(job: ["JOB_ID": "group", "SCRIPT_ID": "big"])
        let folder = world.outputFolder("group")
        let deadline = Date().addingTimeInterval(120)
        var archiving = false
        while !archiving && agent.isRunning && Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            archiving = names.contains { $0.hasPrefix(".artifacts.tar.gz.tmp-") }
            if !archiving { usleep(10_000) }
        }
        try #require(archiving, "the agent never started archiving")
        kill(-agent.processIdentifier, SIGINT)
        agent.waitUntilExit()
        #expect(agent.terminationStatus == 0)
        try world.validateResult("group")
        let result = try world.result("group")
        #expect(result["status"] as? String == "succeeded", "\(result)")
        #expect(try world.listArtifacts("group") == ["random.bin"])
    }
}
