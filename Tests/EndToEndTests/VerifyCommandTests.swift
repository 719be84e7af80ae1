import Foundation
import TestSupport
import Testing

/// `sf-agent verify DIR` through the real binary: a fresh folder is
/// verified; one changed byte in any of its files is caught.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct VerifyCommandTests {
    static let script = """
        mkdir -p "$SF_ARTIFACTS_DIR/reports"
        echo "report for $1 $2" > "$SF_ARTIFACTS_DIR/reports/summary.txt"
        ln -s reports/summary.txt "$SF_ARTIFACTS_DIR/latest"
        echo out; echo err >&2
        """

    func verify(_ world: AgentWorld, _ folder: String, withCache: Bool = true) throws -> Command.Output {
        // Without a cache, no configuration is named at all (one named must be valid).
        let settings = withCache ? ["--set", "repo.url=\(world.repository)", "--set", "cache.dir=\(world.cache)"] : []
        let environment = ["PATH": "/usr/bin:/bin"].merging(withCache ? ["SF_CONFIG": world.root + "/agent.conf"] : [:])
        { $1 }
        return try Command.run(AgentWorld.agentBinary, ["verify", folder] + settings, environment: environment)
    }

    @Test(arguments: ["gzip", "zstd"])
    func aFreshFolderIsVerifiedAndEveryChangedByteIsCaught(compression: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["report.sh": Self.script])
        let run = try world.agent(
            job: ["JOB_ID": "v", "SCRIPT_ID": "report", "PARAMETERS": #"{"host":"a"}"#],
            settings: ["artifacts.compression": compression])
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("v")
        let folder = world.outputFolder("v")
        let fresh = try verify(world, folder)
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        #expect(fresh.stdout.hasSuffix("verified\n"), "\(fresh.stdout)")
        #expect(!fresh.stdout.contains("not checked: the script"), "the cache holds the commit: \(fresh.stdout)")

        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { name in
            var info = stat()
            return lstat(folder + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_size > 0
        }.sorted()
        #expect(
            Set(files).isSuperset(of: [
                ".attempt", "result.json", "manifest.json", "provenance.json", "stdout.log", "stderr.log",
                "combined.log",
            ]))
        for name in files {
            for position in [0.0, 0.5, 1.0] {
                let copy = world.root + "/tampered"
                _ = try? Command.check("/bin/rm", ["-rf", copy])
                try Command.check("/bin/cp", ["-a", folder, copy])
                var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: copy + "/" + name)))
                let index = min(bytes.count - 1, Int(Double(bytes.count - 1) * position))
                bytes[index] ^= 0x20
                try Data(bytes).write(to: URL(fileURLWithPath: copy + "/" + name))
                let checked = try verify(world, copy)
                #expect(checked.status == 65, "a changed byte \(index) of \(name) went unnoticed: \(checked.stdout)")
                #expect(checked.stdout.contains("mismatch: "), "\(name): \(checked.stdout)")
            }
        }
    }

    /// An edit that makes the integrity record unreadable (one byte of its
    /// key) must not switch the checks off.
    @Test func hidingTheIntegrityRecordIsCaught() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["report.sh": Self.script])
        let run = try world.agent(job: ["JOB_ID": "h", "SCRIPT_ID": "report"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = world.outputFolder("h") + "/result.json"
        let text = try String(contentsOfFile: result, encoding: .utf8)
        #expect(text.contains("\"integrity\""))
        try text.replacingOccurrences(of: "\"integrity\"", with: "\"integritx\"").write(
            toFile: result, atomically: false, encoding: .utf8)
        let checked = try verify(world, world.outputFolder("h"))
        #expect(checked.status == 65, "\(checked.stdout)")
        #expect(checked.stdout.contains("mismatch: result.json"), "\(checked.stdout)")
    }

    /// A script that is a link to another file of the checkout verifies,
    /// from the checkout and from the cached commit alone.
    @Test func aLinkedScriptVerifies() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["lib/real.sh": "echo real"])
        try Command.check("/bin/ln", ["-s", "lib/real.sh", world.repository + "/run.sh"])
        try world.git("add", "-A")
        try world.git("commit", "-q", "-m", "link")
        let commit = try world.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try world.agent(job: ["JOB_ID": "l", "SCRIPT_ID": "run"])
        #expect(run.status == 0, "\(run.stderr)")
        let fromCheckout = try verify(world, world.outputFolder("l"))
        #expect(fromCheckout.status == 0, "\(fromCheckout.stdout)")
        #expect(!fromCheckout.stdout.contains("not checked: the script"), "\(fromCheckout.stdout)")
        // Without the checkout, the script's blob is read through the link in the cached commit.
        try Command.check("/bin/rm", ["-f", world.cache + "/checkouts/" + commit + ".complete"])
        _ = try? Command.check("/bin/chmod", ["-R", "u+w", world.cache + "/checkouts/" + commit])
        try Command.check("/bin/rm", ["-rf", world.cache + "/checkouts/" + commit])
        let fromCommit = try verify(world, world.outputFolder("l"))
        #expect(fromCommit.status == 0, "\(fromCommit.stdout)")
        #expect(!fromCommit.stdout.contains("not checked: the script"), "\(fromCommit.stdout)")
    }

    @Test func anAddedFileAndAFolderWithoutResultAreReported() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["report.sh": Self.script])
        let run = try world.agent(job: ["JOB_ID": "w", "SCRIPT_ID": "report"])
        #expect(run.status == 0, "\(run.stderr)")
        let folder = world.outputFolder("w")
        try "extra".write(toFile: folder + "/extra.txt", atomically: true, encoding: .utf8)
        try "hidden".write(toFile: folder + "/.hidden", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/zz", withIntermediateDirectories: false)
        try Command.check("/bin/ln", ["-s", "/etc/shadow", folder + "/shadow"])
        let added = try verify(world, folder, withCache: false)
        #expect(added.status == 65)
        for name in ["extra.txt", ".hidden", "zz", "shadow"] {
            #expect(
                added.stdout.contains("mismatch: \(name): is not recorded in result.json"), "\(name): \(added.stdout)")
        }
        #expect(
            !added.stdout.contains("mismatch: .lock") && !added.stdout.contains("mismatch: .attempt"), "\(added.stdout)"
        )
        #expect(added.stdout.contains("not checked: the script's digest against the commit"), "\(added.stdout)")
        let empty = try verify(world, world.root, withCache: false)
        #expect(empty.status == 66)
        #expect(empty.stderr.contains("holds no result.json"), "\(empty.stderr)")
    }

    /// A configuration named for verify must be valid: a typo does not
    /// quietly skip the script's check.
    @Test func aNamedConfigurationThatIsInvalidIsAnError() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["report.sh": Self.script])
        let run = try world.agent(job: ["JOB_ID": "b", "SCRIPT_ID": "report"])
        #expect(run.status == 0, "\(run.stderr)")
        let checked = try Command.run(
            AgentWorld.agentBinary,
            ["verify", world.outputFolder("b"), "--set", "repo.url=\(world.repository)", "--set", "run.timeout=bogus"],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(checked.status == 78, "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stderr.contains("run.timeout"), "\(checked.stderr)")
    }

    /// The script recorded in result.json is checked against the script at
    /// that commit in the cache: a result.json rewritten to name another
    /// script digest (and resealed) is still caught.
    @Test func theScriptIsCheckedAgainstTheCachedCommit() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["report.sh": Self.script])
        let run = try world.agent(job: ["JOB_ID": "s", "SCRIPT_ID": "report"])
        #expect(run.status == 0, "\(run.stderr)")
        // Make the checkout disagree with the record: the cache's copy is what counts.
        let commit = try #require(try world.result("s")["commit"] as? String)
        let checkout = world.cache + "/checkouts/" + commit
        try Command.check("/bin/chmod", ["-R", "u+w", checkout])
        try "echo swapped\n".write(toFile: checkout + "/report.sh", atomically: false, encoding: .utf8)
        let checked = try verify(world, world.outputFolder("s"))
        #expect(checked.status == 65)
        #expect(checked.stdout.contains("script report.sh at \(commit) has SHA-256"), "\(checked.stdout)")
    }
}
