import Foundation
import TestSupport
import Testing

/// Issue #10, part 2, through the real binary: a survivor of the job (a
/// process of the run user the sweep cannot reach, started by the test)
/// exchanges the artifacts' directories with symlinks to a vault the job may
/// not read, with `renameat2(RENAME_EXCHANGE)`, from the moment the archiver
/// opens the artifacts (inotify) until the agent is done. The vault's token
/// reaches no archive, manifest, log or result; the job succeeds and reports
/// what it could not read.
@Suite(.requiresRoot, .serialized, .timeLimit(.minutes(10)))
struct ArtifactRaceTests {
    static let pairs = 32

    /// The script: `big` (16 MiB, read while the swapping starts), `d00`…`d31`
    /// each with a file; then it waits until the swapper is armed.
    static let script = """
        set -e
        cd "$SF_ARTIFACTS_DIR"
        for i in $(seq -w 0 \(pairs - 1)); do mkdir "d$i"; echo "inside $i" > "d$i/file"; done
        head -c 16777216 /dev/zero | tr '\\0' x > big
        i=0
        while [ ! -d armed ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
        echo "made the tree"
        """

    /// A vault holding a token: root's (0700, 0600) for a root agent, the
    /// agent's own for a non-root one (Landlock is then what keeps the job out).
    private func vault(in world: AgentWorld, owner: String) throws -> (path: String, token: String) {
        let vault = world.root + "/vault"
        let token = "VAULT-TOKEN-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: vault, withIntermediateDirectories: true)
        try FixtureTools.write(token + "\n", to: vault + "/token", mode: 0o600)
        try Command.check("/bin/chown", ["-R", owner, vault])
        chmod(vault, 0o700)
        return (vault, token)
    }

    /// Runs the job with the swapper racing it; checks that the token is nowhere and returns the result.
    private func runRace(root: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["race.sh": Self.script])
        if !root { try world.prepareForNonRootAgent() }
        let (vault, token) = try vault(in: world, owner: root ? "0:0" : "10001:10001")
        let jobID = "race-\(root ? "root" : "nonroot")"
        let swapper = try LinkSwapper(
            root: world.work + "/\(jobID)/artifacts", vault: vault, pairs: Self.pairs, scratch: world.root)
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "race"], launcher: root ? [] : AgentWorld.nonRootLauncher)
        let swaps = swapper.stop()
        #expect(swaps > 0, "the swapper ran: \(swapper.output)")

        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "succeeded")
        let artifacts = try #require(result["artifacts"] as? [String: Any])
        let unreadable = try #require(artifacts["unreadable"] as? [[String: Any]])
        // Whether the swapper caught the reader mid-walk depends on the
        // scheduler (a loaded CI machine may let the walk finish between two
        // swaps); what was caught is reported, and the token is never archived.
        for entry in unreadable {
            let path = try #require(entry["path"] as? String)
            #expect(path.hasPrefix("d") && !path.contains("/"), "\(entry)")
        }
        if !unreadable.isEmpty {
            #expect(run.stderr.contains("could not be read and are not in the archive"), "\(run.stderr)")
        }

        // Nowhere: not in the extracted files, the raw (decompressed) archive,
        // the output folder's files, or what the agent printed.
        let extracted = try world.extractArtifacts(jobID)
        let grep = try Command.run("/bin/grep", ["-rlF", token, extracted])
        #expect(grep.status == 1, "extracted files holding the token: \(grep.stdout)")
        let raw = try Command.run("/bin/gzip", ["-dc", world.outputFolder(jobID) + "/artifacts.tar.gz"])
        #expect(raw.status == 0)
        #expect(raw.standardOutput.range(of: Data(token.utf8)) == nil, "the raw archive holds the token")
        for name in try FileManager.default.contentsOfDirectory(atPath: world.outputFolder(jobID))
        where name != "artifacts.tar.gz" {
            let data = try #require(FileManager.default.contents(atPath: world.outputFolder(jobID) + "/" + name))
            #expect(data.range(of: Data(token.utf8)) == nil, "\(name) holds the token")
        }
        #expect(!run.stdout.contains(token) && !run.stderr.contains(token))
        // The workspace removal (also raced) left the vault alone.
        #expect(FileManager.default.contents(atPath: vault + "/token") == Data((token + "\n").utf8))
    }

    @Test func aSurvivorSwappingDirectoriesNeverGetsTheRootAgentToArchiveTheVault() throws {
        try runRace(root: true)
    }

    @Test func aSurvivorSwappingDirectoriesNeverGetsANonRootAgentToArchiveTheVault() throws {
        try runRace(root: false)
    }

    /// `sf-agent archive` as root (reading as the directory's owner by
    /// default) against a swapper, many times over: never the token, always
    /// a published archive. (main before the reader leaked it in about one
    /// run in fifty, and failed in half of them.)
    @Test func archiveCommandUnderAConcurrentSwapperNeverArchivesTheVault() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let (vault, token) = try vault(in: world, owner: "0:0")
        let artifacts = world.root + "/artifacts"
        for index in 0..<4 {
            let directory = artifacts + String(format: "/d%02d", index)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FixtureTools.write("inside \(index)\n", to: directory + "/file")
        }
        try Data(repeating: 0x78, count: 1 << 20).write(to: URL(fileURLWithPath: artifacts + "/big"))
        try Command.check("/bin/chown", ["-R", "10001:10001", artifacts])
        let swapper = try LinkSwapper(root: artifacts, vault: vault, pairs: 4, scratch: world.root)
        try #require(swapper.waitUntilArmed(), "\(swapper.output)")
        var skipped = 0
        for run in 0..<200 {
            let output = world.root + "/out-\(run)"
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let archived = try Command.run(
                AgentWorld.agentBinary, ["archive", artifacts, output, "--compression", "none"])
            #expect(archived.status == 0, "run \(run): \(archived.stderr)")
            skipped += archived.stderr.components(separatedBy: "not archived: ").count - 1
            for name in ["artifacts.tar", "manifest.json"] {
                let data = FileManager.default.contents(atPath: output + "/" + name) ?? Data()
                #expect(data.range(of: Data(token.utf8)) == nil, "run \(run): \(name) holds the token")
            }
            try FileManager.default.removeItem(atPath: output)
        }
        #expect(swapper.stop() > 0)
        #expect(skipped > 0, "the race was on: some runs reported directories they could not read")
    }
}
