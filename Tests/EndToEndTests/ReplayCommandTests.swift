import Foundation
import TestSupport
import Testing

/// `sf-agent replay DIR` through the real binary.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct ReplayCommandTests {
    static let deterministic = """
        mkdir -p "$SF_ARTIFACTS_DIR/out"
        printf 'built for %s\\n' "$2" > "$SF_ARTIFACTS_DIR/out/result.txt"
        seq 1 1000 > "$SF_ARTIFACTS_DIR/out/numbers.txt"
        """
    static let timeWriting = """
        echo stable > "$SF_ARTIFACTS_DIR/stable.txt"
        date +%s%N > "$SF_ARTIFACTS_DIR/stamp.txt"
        """

    @Test func aDeterministicJobIsReproduced() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["build.sh": Self.deterministic])
        let settings = ["artifacts.compression": "zstd"]
        let run = try world.agent(
            job: ["JOB_ID": "orig", "SCRIPT_ID": "build", "PARAMETERS": #"{"target":"x"}"#], settings: settings)
        #expect(run.status == 0, "\(run.stderr)")
        try world.commit(["build.sh": "echo main moved on\n"])  // The replay runs the recorded commit, not the ref.
        let replay = try world.agent(
            "replay", [world.outputFolder("orig"), "--job-id", "again"], job: [:], settings: settings)
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("replaying orig at \(commit) as JOB_ID again"), "\(replay.stdout)")
        #expect(replay.stdout.contains("reproduced: identical artifacts"), "\(replay.stdout)")
        #expect(
            replay.stdout.contains("status: succeeded (same)") && replay.stdout.contains("exit code: 0 (same)"),
            "\(replay.stdout)")
        try world.validateResult("again")
        #expect(try world.result("again")["commit"] as? String == commit)

        // Without --job-id the id is derived and printed.
        let derived = try world.agent("replay", [world.outputFolder("orig")], job: [:], settings: settings)
        #expect(derived.status == 0, "\(derived.stdout)\(derived.stderr)")
        #expect(derived.stdout.contains("as JOB_ID orig-replay-"), "\(derived.stdout)")
    }

    @Test func aJobThatWritesTheTimeSaysWhichFileDiffers() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["stamp.sh": Self.timeWriting])
        let run = try world.agent(job: ["JOB_ID": "t", "SCRIPT_ID": "stamp"])
        #expect(run.status == 0, "\(run.stderr)")
        let replay = try world.agent("replay", [world.outputFolder("t"), "--job-id", "t2"], job: [:])
        #expect(replay.status == 65, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("artifacts differ in 1 file(s):"), "\(replay.stdout)")
        #expect(replay.stdout.contains("  stamp.txt: SHA-256 "), "\(replay.stdout)")
        #expect(!replay.stdout.contains("stable.txt"), "\(replay.stdout)")
        #expect(replay.stdout.contains("status: succeeded (same)"), "\(replay.stdout)")
    }

    @Test func itRefusesWhenTheConfigurationThatShapedTheRunDiffers() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["build.sh": Self.deterministic])
        let run = try world.agent(job: ["JOB_ID": "c", "SCRIPT_ID": "build"])
        #expect(run.status == 0, "\(run.stderr)")
        let replay = try world.agent(
            "replay", [world.outputFolder("c"), "--job-id", "c2"], job: [:],
            settings: ["run.timeout": "3m", "artifacts.compression": "zstd"])
        #expect(replay.status == 77, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stderr.contains("run.timeout: recorded `120s`, now `180s`"), "\(replay.stderr)")
        #expect(replay.stderr.contains("artifacts.compression: recorded `gzip`, now `zstd`"), "\(replay.stderr)")
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("c2")), "nothing ran")
    }

    @Test func itRefusesWhenTheScriptsDigestNoLongerMatches() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["build.sh": Self.deterministic])
        let run = try world.agent(job: ["JOB_ID": "d", "SCRIPT_ID": "build"])
        #expect(run.status == 0, "\(run.stderr)")
        let checkout = world.cache + "/checkouts/" + commit
        try Command.check("/bin/chmod", ["-R", "u+w", checkout])
        try "echo tampered\n".write(toFile: checkout + "/build.sh", atomically: false, encoding: .utf8)
        let replay = try world.agent("replay", [world.outputFolder("d"), "--job-id", "d2"], job: [:])
        #expect(replay.status == 77, "\(replay.stdout)\(replay.stderr)")
        let recorded = try #require((try world.result("d")["script"] as? [String: Any])?["sha256"] as? String)
        #expect(replay.stderr.contains(recorded) && replay.stderr.contains("nothing ran"), "\(replay.stderr)")
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("d2")))
    }

    /// The record chooses what runs: a folder changed after its job (here
    /// the commit, pointed at an unreviewed one) is not replayed.
    @Test func itRefusesAFolderThatDoesNotVerify() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let reviewed = try world.commit(["build.sh": Self.deterministic])
        let unreviewed = try world.commit(["build.sh": "echo unreviewed > \"$SF_ARTIFACTS_DIR/evil.txt\"\n"])
        try world.git("reset", "-q", "--hard", reviewed)
        let run = try world.agent(job: ["JOB_ID": "t", "SCRIPT_ID": "build"], settings: ["repo.ref": reviewed])
        #expect(run.status == 0, "\(run.stderr)")
        let result = world.outputFolder("t") + "/result.json"
        let text = try String(contentsOfFile: result, encoding: .utf8)
        try text.replacingOccurrences(of: reviewed, with: unreviewed).write(
            toFile: result, atomically: false, encoding: .utf8)
        let replay = try world.agent(
            "replay", [world.outputFolder("t"), "--job-id", "t2"], job: [:], settings: ["repo.ref": reviewed])
        #expect(replay.status == 77, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stderr.contains("does not verify"), "\(replay.stderr)")
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("t2")), "nothing ran")
    }

    @Test func itRefusesWhenTheCommitIsGone() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["build.sh": Self.deterministic])
        let gone = try world.commit(["build.sh": "echo unreviewed\n"])
        let run = try world.agent(job: ["JOB_ID": "g", "SCRIPT_ID": "build"])
        #expect(run.status == 0, "\(run.stderr)")
        // History rewritten: the commit is on no branch and pruned; a fresh cache must fetch it.
        try world.git("reset", "-q", "--hard", "HEAD~1")
        try world.git("reflog", "expire", "--expire=now", "--all")
        try world.git("gc", "-q", "--prune=now")
        let replay = try world.agent(
            "replay", [world.outputFolder("g"), "--job-id", "g2"], job: [:],
            settings: ["cache.dir": world.root + "/fresh-cache"])
        #expect(replay.status == 77, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stderr.contains("Commit \(gone) of job g cannot be had any more"), "\(replay.stderr)")
    }
}
