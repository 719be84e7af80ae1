import Foundation
import TestSupport
import Testing

/// `sf-agent fetch`: everything up to the verified checkout, through the
/// real binary against a real `git daemon`, then stop.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct FetchCommandTests {
    @Test func fetchWarmsAnEmptyCacheSoALaterRunNeedsNoServer() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["hello.sh": "echo hello from the cache\n"])
        let daemon = try TestGitDaemon(basePath: world.root)
        let pinned = ["repo.url": daemon.url("repo"), "repo.ref": commit]

        let fetch = try world.agent("fetch", job: [:], settings: pinned)
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(fetch.stdout.contains("commit       \(commit)\n"), "\(fetch.stdout)")
        #expect(fetch.stdout.contains("checkout     \(world.cache)/checkouts/\(commit)\n"), "\(fetch.stdout)")
        #expect(fetch.stdout.contains("rule passed  policy.allowed_repos"))
        #expect(FileManager.default.fileExists(atPath: world.cache + "/checkouts/\(commit).complete"))
        let script = world.cache + "/checkouts/\(commit)/hello.sh"
        #expect(try String(contentsOfFile: script, encoding: .utf8) == "echo hello from the cache\n")
        #expect(!FileManager.default.isWritableFile(atPath: world.cache + "/checkouts/\(commit)") || geteuid() == 0)
        #expect(((try? FileManager.default.attributesOfItem(atPath: script)[.posixPermissions]) as? Int) == 0o444)
        #expect(!FileManager.default.fileExists(atPath: world.output), "fetch writes no job folder")
        #expect(!FileManager.default.fileExists(atPath: world.work))

        daemon.stop()
        let run = try world.agent(job: ["JOB_ID": "warm-1", "SCRIPT_ID": "hello"], settings: pinned)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("warm-1")
        let source = try #require(try world.result("warm-1")["source"] as? [String: Any])
        #expect(source["fetched"] as? Bool == false)
        #expect(source["checkout_reused"] as? Bool == true)
        #expect(try world.readOutput("warm-1", "stdout.log").contains("hello from the cache"))

        // Control: a branch name must be checked with the server, which is gone.
        let offline = try world.agent(
            "fetch", job: [:], settings: ["repo.url": daemon.url("repo"), "repo.ref": "main"])
        #expect(offline.status == 69, "\(offline.stderr)")
        #expect(offline.stderr.contains("Cannot fetch"), "\(offline.stderr)")
    }

    @Test func aDisallowedRepositoryIsRefusedBeforeAnyFetch() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["hello.sh": "echo hi\n"])
        let run = try world.agent("fetch", job: [:], settings: ["policy.allowed_repos": "git://git.internal/*"])
        #expect(run.status == 77, "\(run.stderr)")
        #expect(run.stderr.contains("policy.allowed_repos"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let repositories = (try? FileManager.default.contentsOfDirectory(atPath: world.cache + "/repos")) ?? []
        #expect(repositories.isEmpty, "nothing was fetched")
    }

    @Test func aScriptIDIsCheckedAgainstPolicyAndMustResolve() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["deploy/web.py": "pass\n"])
        let found = try world.agent("fetch", job: ["SCRIPT_ID": "deploy/web"])
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("script       deploy/web.py\n"), "\(found.stdout)")
        #expect(found.stdout.contains("rule passed  policy.allowed_scripts: `deploy/web` is allowed"))

        let refused = try world.agent(
            "fetch", job: ["SCRIPT_ID": "deploy/web"], settings: ["policy.allowed_scripts": "other/*"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("policy.allowed_scripts"), "\(refused.stderr)")

        let missing = try world.agent("fetch", job: ["SCRIPT_ID": "deploy/nothing"])
        #expect(missing.status == 77)
        #expect(missing.stderr.contains("deploy/nothing"), "\(missing.stderr)")

        let badRef = try world.agent("fetch", job: ["SCRIPTS_REF": "main;rm"])
        #expect(badRef.status == 77)
        #expect(badRef.stderr.contains("SCRIPTS_REF"), "\(badRef.stderr)")

        let badConfig = try world.agent("fetch", job: [:], settings: ["repo.fetch_timeout": "soon"])
        #expect(badConfig.status == 78, "\(badConfig.stderr)")
    }
}

/// A fetch that takes more than a second reports progress on stderr:
/// plain lines (no carriage returns) when stderr is not a terminal.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct FetchProgressEndToEndTests {
    @Test func aSlowFetchPrintsProgressLinesAboutOnceASecond() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        // 6 MiB of random bytes as base64: about 6 MiB on the wire, whatever zlib does.
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom")?.readData(ofLength: 6 << 20))
        let commit = try world.commit([
            "blob.txt": random.base64EncodedString(options: .lineLength76Characters), "hello.sh": "echo hi\n",
        ])
        // About 3 MiB/s: the transfer takes two seconds or more.
        let daemon = try TestGitDaemon(basePath: world.root, bytesPerSecond: 3 << 20)
        defer { daemon.stop() }

        let start = Date()
        let fetch = try world.agent("fetch", job: [:], settings: ["repo.url": daemon.url("repo"), "repo.ref": commit])
        let elapsed = Date().timeIntervalSince(start)
        #expect(fetch.status == 0, "\(fetch.stderr)")
        let lines = fetch.stderr.split(separator: "\n").filter { $0.hasPrefix("sf-agent: fetching: ") }
        let pattern =
            #/^sf-agent: fetching: \d+/\d+ objects, [0-9.]+ (B|KiB|MiB), [0-9.]+ (B|KiB|MiB)/s(, deltas \d+/\d+)?(, done)?$/#
        #expect(lines.count >= 2, "a fetch of \(elapsed) s shows progress: \(fetch.stderr)")
        for line in lines { #expect(line.wholeMatch(of: pattern) != nil, "\(line)") }
        #expect(lines.last?.hasSuffix(", done") == true, "\(fetch.stderr)")
        #expect(!fetch.stderr.contains("\r"), "no terminal: no carriage returns")
        // At most about one line a second (the closing line may follow the last at once).
        #expect(Double(lines.count) <= elapsed + 2, "\(lines.count) lines in \(elapsed) s")
    }
}
