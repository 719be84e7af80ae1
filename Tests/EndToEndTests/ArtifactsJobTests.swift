import Foundation
import TestSupport
import Testing

/// Artifacts limits, secret scanning, ENOSPC and output ownership, through the real agent.
@Suite(.timeLimit(.minutes(10))) struct ArtifactsJobTests {
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
        #expect(try names(in: world.outputFolder("many")) == ["stdout.log", "stderr.log", "combined.log", "result.json"])
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
        #expect(left == ["stdout.log", "stderr.log", "combined.log", "result.json"], "no partial or temporary file: \(left)")
    }

    @Test func outputOwnerAndManifest() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["one.sh": #"printf 'payload\n' > "$SF_ARTIFACTS_DIR/one.txt""#])
        let run = try world.agent(
            job: ["JOB_ID": "own", "SCRIPT_ID": "one"], settings: ["output.owner": "4242:4343", "artifacts.compression": "zstd"])
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("own")
        let folder = world.outputFolder("own")
        for name in try names(in: folder).union(["."]) {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            #expect(attributes[.ownerAccountID] as? Int == 4242, "\(name)")
            #expect(attributes[.groupOwnerAccountID] as? Int == 4343, "\(name)")
        }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))) as? [String: Any]
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
}
