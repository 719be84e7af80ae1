import Foundation
import TestSupport
import Testing

/// Pins (`SCRIPTS_COMMIT`, `policy.script_digests`) and byte-identical
/// artifacts, through the real binary (docs/reproducible-runs.md).
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct ReproducibleRunTests {
    func error(_ world: AgentWorld, _ jobID: String) throws -> [String: Any] {
        try #require(try world.result(jobID)["error"] as? [String: Any])
    }

    @Test func aWrongScriptsCommitIsRejectedNamingBothCommits() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let first = try world.commit(["hello.sh": "echo one\n"])
        let second = try world.commit(["hello.sh": "echo two\n"])
        let run = try world.agent(job: ["JOB_ID": "pin", "SCRIPT_ID": "hello", "SCRIPTS_COMMIT": first])
        #expect(run.status == 77, "\(run.stderr)")
        try world.validateResult("pin")
        #expect(try world.result("pin")["status"] as? String == "rejected")
        let failure = try error(world, "pin")
        #expect(failure["code"] as? String == "policy_violation")
        #expect(failure["rule"] as? String == "SCRIPTS_COMMIT")
        let message = try #require(failure["message"] as? String)
        #expect(message.contains(first) && message.contains(second), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("pin") + "/stdout.log"), "nothing ran")

        let matching = try world.agent(job: [
            "JOB_ID": "pin-ok", "SCRIPT_ID": "hello", "SCRIPTS_COMMIT": second.uppercased(),
        ])
        #expect(matching.status == 0, "\(matching.stderr)")
        let rules = try #require((try world.result("pin-ok")["source"] as? [String: Any])?["rules_passed"] as? [String])
        #expect(rules.contains { $0.hasPrefix("SCRIPTS_COMMIT:") && $0.contains(second) })
        let fetch = try world.agent("fetch", job: ["SCRIPTS_COMMIT": first])
        #expect(fetch.status == 77, "sf-agent fetch honours the pin too: \(fetch.stderr)")
        #expect(fetch.stderr.contains(first) && fetch.stderr.contains(second), "\(fetch.stderr)")
        let invalid = try world.agent(job: ["JOB_ID": "pin-bad", "SCRIPT_ID": "hello", "SCRIPTS_COMMIT": "main"])
        #expect(invalid.status == 77)
        #expect(try error(world, "pin-bad")["code"] as? String == "invalid_job")
    }

    /// A fresh cache has no memory of where a tag was: the job's pin is what catches the move.
    @Test func aMovedTagIsRejectedByTheJobsPinEvenWithAFreshCache() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let tagged = try world.commit(["hello.sh": "echo reviewed\n"])
        try world.git("tag", "v1")
        let run = try world.agent(
            job: ["JOB_ID": "tag-1", "SCRIPT_ID": "hello", "SCRIPTS_COMMIT": tagged], settings: ["repo.ref": "v1"])
        #expect(run.status == 0, "\(run.stderr)")
        let moved = try world.commit(["hello.sh": "echo swapped\n"])
        try world.git("tag", "-f", "v1")
        let again = try world.agent(
            job: ["JOB_ID": "tag-2", "SCRIPT_ID": "hello", "SCRIPTS_COMMIT": tagged],
            settings: ["repo.ref": "v1", "cache.dir": world.root + "/fresh-cache", "policy.immutable_tags": "false"])
        #expect(again.status == 77, "\(again.stderr)")
        let failure = try error(world, "tag-2")
        #expect(failure["rule"] as? String == "SCRIPTS_COMMIT")
        let message = try #require(failure["message"] as? String)
        #expect(message.contains(tagged) && message.contains(moved) && message.contains("`v1`"), "\(message)")
    }

    @Test func scriptDigestsPinScriptsByContent() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["tools/hello.sh": "echo reviewed\n", "other.sh": "echo other\n"])
        let reviewed = try Command.check("/usr/bin/sha256sum", [world.repository + "/tools/hello.sh"]).prefix(64)
        let digests = world.root + "/scripts.sha256"
        try "# reviewed\n\(reviewed)  tools/hello.sh\n".write(toFile: digests, atomically: true, encoding: .utf8)
        let settings = ["policy.script_digests": digests]

        let run = try world.agent(job: ["JOB_ID": "digest-ok", "SCRIPT_ID": "tools/hello"], settings: settings)
        #expect(run.status == 0, "\(run.stderr)")
        let rules = try #require(
            (try world.result("digest-ok")["source"] as? [String: Any])?["rules_passed"] as? [String])
        #expect(rules.contains { $0.hasPrefix("policy.script_digests:") })

        let missing = try world.agent(job: ["JOB_ID": "digest-missing", "SCRIPT_ID": "other"], settings: settings)
        #expect(missing.status == 77, "\(missing.stderr)")
        try world.validateResult("digest-missing")
        #expect(try world.result("digest-missing")["status"] as? String == "rejected")
        let noLine = try error(world, "digest-missing")
        #expect(noLine["rule"] as? String == "policy.script_digests")
        #expect(
            (noLine["message"] as? String)?.contains("other.sh") == true
                && (noLine["message"] as? String)?.contains("no line") == true)

        try world.commit(["tools/hello.sh": "echo changed under the same name\n"])
        let changed = try Command.check("/usr/bin/sha256sum", [world.repository + "/tools/hello.sh"]).prefix(64)
        let mismatch = try world.agent(job: ["JOB_ID": "digest-bad", "SCRIPT_ID": "tools/hello"], settings: settings)
        #expect(mismatch.status == 77, "\(mismatch.stderr)")
        #expect(try world.result("digest-bad")["status"] as? String == "rejected")
        let message = try #require(try error(world, "digest-bad")["message"] as? String)
        #expect(message.contains(String(reviewed)) && message.contains(String(changed)), "\(message)")
        #expect(
            !FileManager.default.fileExists(atPath: world.outputFolder("digest-bad") + "/stdout.log"), "nothing ran")

        try "\(reviewed)  tools/hello.sh\nnot a digest line\n".write(toFile: digests, atomically: true, encoding: .utf8)
        let broken = try world.agent(job: ["JOB_ID": "digest-parse", "SCRIPT_ID": "tools/hello"], settings: settings)
        #expect(broken.status == 78, "\(broken.stderr)")
        let parse = try error(world, "digest-parse")
        #expect(parse["code"] as? String == "config_error")
        #expect((parse["message"] as? String)?.contains("\(digests), line 2") == true, "\(parse)")
    }

    /// A script whose output depends only on the commit and its parameters.
    static let deterministic = """
        set -e
        cd "$SF_ARTIFACTS_DIR"
        mkdir -p reports/deep
        printf 'host %s\\n' "$2" > reports/summary.txt
        seq 1 200000 > reports/deep/numbers.txt
        head -c 6000000 /dev/zero | tr '\\0' 'x' > big.txt
        ln -s reports/summary.txt latest
        echo "$SOURCE_DATE_EPOCH" > epoch.txt
        touch -d @1 ancient.txt
        """

    @Test(arguments: [("gzip", "1"), ("zstd", "1"), ("zstd", "2"), ("none", "1")])
    func theSameJobTwiceGivesTheSameBytes(compression: String, threads: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["build.sh": Self.deterministic])
        let committed = try world.git("log", "-1", "--format=%ct")
        let settings = ["artifacts.compression": compression, "artifacts.threads": threads]
        let job = ["SCRIPT_ID": "build", "PARAMETERS": #"{"host":"a.example"}"#, "SCRIPTS_COMMIT": commit]
        for id in ["twice-1", "twice-2"] {
            let run = try world.agent(job: job.merging(["JOB_ID": id]) { $1 }, settings: settings)
            #expect(run.status == 0, "\(run.stderr)")
            try world.validateResult(id)
            sleep(1)  // Another second: the files' own times differ between the runs.
        }
        let file = try #require((try world.result("twice-1")["artifacts"] as? [String: Any])?["file"] as? String)
        for name in [file, "manifest.json"] {
            let one = try Data(contentsOf: URL(fileURLWithPath: world.outputFolder("twice-1") + "/" + name))
            let two = try Data(contentsOf: URL(fileURLWithPath: world.outputFolder("twice-2") + "/" + name))
            #expect(one == two, "\(name) differs between two runs")
        }
        let extracted = try world.extractArtifacts("twice-1", file: file)
        #expect(try String(contentsOfFile: extracted + "/epoch.txt", encoding: .utf8) == committed + "\n")
        let reproducibility = try #require(try world.result("twice-1")["reproducibility"] as? [String: Any])
        #expect(reproducibility["source_date_epoch"] as? Int == Int(committed))
        let listing = try Command.check(
            "/usr/bin/tar", ["--numeric-owner", "--full-time", "-tvf", world.outputFolder("twice-1") + "/" + file])
        for line in listing.split(separator: "\n") {
            #expect(line.contains(" 0/0 "), "\(line)")
            #expect(line.contains("ancient.txt") || !line.contains(" 1970-01-01 "), "\(line)")
        }
    }

    /// zstd with one worker and with two: the same bytes.
    @Test func oneOrTwoZstdThreadsGiveTheSameArchive() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["build.sh": Self.deterministic])
        var digests: Set<String> = []
        for threads in ["1", "2"] {
            let id = "threads-\(threads)"
            let run = try world.agent(
                job: ["JOB_ID": id, "SCRIPT_ID": "build"],
                settings: ["artifacts.compression": "zstd", "artifacts.threads": threads])
            #expect(run.status == 0, "\(run.stderr)")
            digests.insert(try #require((try world.result(id)["artifacts"] as? [String: Any])?["sha256"] as? String))
        }
        #expect(digests.count == 1)
    }
}
