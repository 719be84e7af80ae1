import Foundation
import TestSupport
import Testing

/// Attacks on the agent's HTTP credentials by a hostile server
/// (``HostileGitServer``), through the real binary: a redirect to another
/// host, the credentials echoed back in an error, and the processes of a
/// fetch that hangs searched for them.
@Suite(.requiresRoot, .serialized, .timeLimit(.minutes(3))) struct HostileServerTests {
    struct Fixture {
        let world: AgentWorld
        let server: HostileGitServer
        let password: String
        let urlPassword: String
        let tokenFile: String

        init() throws {
            world = try AgentWorld()
            server = try HostileGitServer()
            password = "tokpw-\(UUID().uuidString.prefix(12))"
            urlPassword = "urlpw-\(UUID().uuidString.prefix(12))"
            tokenFile = world.root + "/token"
            try "ci:\(password)\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            chmod(tokenFile, 0o600)
            try world.commit(["hello.sh": "echo hello\n"])
        }

        func remove() {
            server.stop()
            world.remove()
        }

        /// Runs a job against `kind`'s URL (with `user:password@` in it when `inURL`).
        func run(_ jobID: String, _ kind: String, inURL: Bool = false, settings: [String: String] = [:]) throws
            -> Command.Output
        {
            var url = server.url(kind)
            if inURL { url = url.replacingOccurrences(of: "://", with: "://ci:\(urlPassword)@") }
            let base = ["repo.url": url, "repo.token_file": tokenFile, "repo.fetch_attempts": "1"]
            return try world.agent(
                job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"], settings: base.merging(settings) { $1 })
        }

        /// Everything the job left: stdout, stderr and every file of its output folder.
        func everything(_ jobID: String, _ run: Command.Output) -> String {
            var text = run.stdout + run.stderr
            let folder = world.outputFolder(jobID)
            for name in (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? [] {
                if let data = FileManager.default.contents(atPath: folder + "/" + name) {
                    text += String(decoding: data, as: UTF8.self)
                }
            }
            return text
        }

        /// Every form of the credentials a leak could take: plain and as the basic-auth header value.
        var forms: [String] {
            [
                password, urlPassword, Data("ci:\(password)".utf8).base64EncodedString(),
                Data("ci:\(urlPassword)".utf8).base64EncodedString(),
            ]
        }
    }

    /// The source error of a failed job, after validating result.json.
    func sourceError(_ fixture: Fixture, _ jobID: String, _ run: Command.Output) throws -> String {
        #expect(run.status == 69, "\(run.stderr)")
        try fixture.world.validateResult(jobID)
        let error = try #require(try fixture.world.result(jobID)["error"] as? [String: Any])
        #expect(error["code"] as? String == "source_error")
        return try #require(error["message"] as? String)
    }

    /// A `302` to another host: libgit2 1.5 follows an off-site redirect of
    /// the first request by default and then asks the credential callback
    /// for the new host, which used to hand it repo.token_file.
    /// A redirect to another port of the same host is not off-site for
    /// libgit2: the credential callback refuses any origin but repo.url's.
    @Test(arguments: ["offsite", "otherport"]) func credentialsAreNeverSentWhereARedirectLeads(kind: String) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let run = try fixture.run(kind, kind, settings: ["repo.fetch_attempts": "3"])
        let message = try sourceError(fixture, kind, run)
        #expect(message.contains("redirect"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        let requests = fixture.server.requests()
        #expect(requests.filter { $0["path"]?.hasPrefix("/\(kind)/") == true }.count == 1, "\(requests)")
        #expect(
            !requests.contains { $0["auth"] != nil }, "credentials went to \(requests.filter { $0["auth"] != nil })")
        // Off-site: not even an anonymous request reaches the other host.
        #expect(kind != "offsite" || !requests.contains { $0["path"]?.hasPrefix("/trap/") == true }, "\(requests)")
        let left = fixture.everything(kind, run)
        #expect(!fixture.forms.contains { left.contains($0) })
    }

    /// The password in `repo.url` is not sent off-site either.
    @Test func urlCredentialsAreNeverSentToTheHostOfAnOffsiteRedirect() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let run = try fixture.run("offsite-url", "offsite", inURL: true, settings: ["repo.token_file": ""])
        _ = try sourceError(fixture, "offsite-url", run)
        let toElsewhere = fixture.server.requests().filter {
            $0["host"]?.hasPrefix("localhost") == true && $0["auth"] != nil
        }
        #expect(toElsewhere.isEmpty, "\(toElsewhere)")
        #expect(!fixture.forms.contains { fixture.everything("offsite-url", run).contains($0) })
    }

    /// A server that echoes the Authorization header and the decoded
    /// password back, in a 500 body and in a protocol `ERR` line (which
    /// libgit2 copies into its error message): nothing of it is shown.
    @Test(arguments: ["trap", "echo"]) func credentialsEchoedByTheServerAreNeverShown(kind: String) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        for (jobID, inURL) in [("\(kind)-token", false), ("\(kind)-url", true)] {
            let run = try fixture.run(jobID, kind, inURL: inURL)
            let message = try sourceError(fixture, jobID, run)
            #expect(fixture.server.requests().contains { $0["auth"] != nil }, "the server never got the credentials")
            let left = fixture.everything(jobID, run)
            for form in fixture.forms { #expect(!left.contains(form), "\(form) leaked: \(message)") }
        }
    }

    /// After a successful fetch with the password in `repo.url` and the
    /// token in repo.token_file, no file of the cache, the work folder or the
    /// output folder holds either (the remote is anonymous, no FETCH_HEAD, the
    /// cache repository is named after the URL without credentials).
    @Test func credentialsAreInNoFileTheAgentLeaves() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let password = "cachepw-\(UUID().uuidString.prefix(12))"
        let server = try GitHTTPServer(projectRoot: world.root, password: password)
        defer { server.stop() }
        try world.commit(["hello.sh": "echo hello\n"])
        let token = world.root + "/token"
        try "ci:\(password)\n".write(toFile: token, atomically: true, encoding: .utf8)
        let withPassword = server.url("repo").replacingOccurrences(of: "://", with: "://ci:\(password)@")
        for (jobID, settings) in [
            ("url", ["repo.url": withPassword]), ("token", ["repo.url": server.url("repo"), "repo.token_file": token]),
        ] {
            let run = try world.agent(job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"], settings: settings)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let found = try Command.run(
            "/usr/bin/grep",
            [
                "-r", "-l", "-a", "-F", "-e", password, "-e", Data("ci:\(password)".utf8).base64EncodedString(),
                world.cache, world.work, world.output,
            ])
        #expect(found.status == 1, "credentials in: \(found.stdout)\(found.stderr)")
        #expect(FileManager.default.fileExists(atPath: world.cache + "/repos"))
    }

    /// Reads every process's memory, environment, argv and open files it can
    /// (its own as a control) looking for bytes that start with `memtok-`.
    static let memoryScanner = #"""
        import os, stat
        marker = b"memtok" + b"-"
        me = os.getpid()
        def scan(pid):
            hits = []
            for name in ("environ", "cmdline"):
                try:
                    if marker in open("/proc/%s/%s" % (pid, name), "rb").read(): hits.append(name)
                except OSError: pass
            try:
                for fd in os.listdir("/proc/%s/fd" % pid):
                    try:
                        path = "/proc/%s/fd/%s" % (pid, fd)
                        if not stat.S_ISREG(os.stat(path).st_mode): continue  # A pipe would block.
                        if marker in open(path, "rb").read(1 << 20): hits.append("fd " + fd)
                    except OSError: pass
            except OSError: pass
            try:
                mem = open("/proc/%s/mem" % pid, "rb", 0)
                for line in open("/proc/%s/maps" % pid):
                    start, end = (int(x, 16) for x in line.split()[0].split("-"))
                    if "r" not in line.split()[1] or end - start > 1 << 28 or "[v" in line: continue
                    try:
                        mem.seek(start)
                        if marker in mem.read(end - start): hits.append("mem"); break
                    except (OSError, ValueError, OverflowError): pass
            except OSError: pass
            return hits
        secret = b"memtok" + b"-self"  # In this process's memory: the control.
        print("SELF", "mem" in scan(me))
        for pid in os.listdir("/proc"):
            if pid.isdigit() and int(pid) != me:
                hits = scan(pid)
                if hits: print("LEAK", pid, open("/proc/%s/comm" % pid).read().strip(), hits)
        """#

    /// A non-root agent's script runs as the agent's own user: it still
    /// cannot find the token in the agent's memory, environment, argv or
    /// descriptors: the agent is non-dumpable, and Landlock allows no
    /// ptrace-class access outside the job. Without Landlock (the agent under
    /// a seccomp filter that hides it) only the first holds: before it, the
    /// script found the token in the agent's memory.
    @Test(arguments: [true, false]) func theScriptOfANonRootAgentFindsTheTokenNowhere(landlock: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let password = "memtok-\(UUID().uuidString.prefix(12))"
        let server = try GitHTTPServer(projectRoot: world.root, password: password)
        defer { server.stop() }
        let token = world.root + "/token"
        try "ci:\(password)\n".write(toFile: token, atomically: true, encoding: .utf8)
        try world.commit(["scan.py": Self.memoryScanner, "scan.sh": "python3 \"$(dirname \"$0\")/scan.py\"\n"])
        for path in [world.cache, world.work, world.output] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        for path in [world.cache, world.work, world.output, token] {
            try Command.check("/bin/chown", ["10001:10001", path])
        }
        chmod(token, 0o600)
        let run = try world.agent(
            job: ["JOB_ID": "scan", "SCRIPT_ID": "scan"],
            settings: ["repo.url": server.url("repo"), "repo.token_file": token, "run.timeout": "90s"],
            launcher: (landlock ? [] : SandboxRequireTests.withoutLandlock) + [
                "/usr/bin/setpriv", "--reuid=10001", "--regid=10001", "--clear-groups", "--",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("SELF True"), "the scanner must find the marker in its own memory: \(run.stdout)")
        #expect(!run.stdout.contains("LEAK "), "\(run.stdout)")
    }

    /// While a fetch hangs after authenticating, no process's argv or
    /// environment holds the credentials (searched as root in /proc). The
    /// URL with its password is in the configuration file, as an operator
    /// would put it (a `--set` would be in the agent's own argv).
    @Test func credentialsAreInNoProcessArgvOrEnvironmentDuringAFetch() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let url = fixture.server.url("slow").replacingOccurrences(of: "://", with: "://ci:\(fixture.urlPassword)@")
        let (world, tokenFile) = (fixture.world, fixture.tokenFile)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? world.agent(
                job: ["JOB_ID": "slow", "SCRIPT_ID": "hello"],
                settings: ["repo.token_file": tokenFile, "repo.fetch_timeout": "8s", "repo.fetch_attempts": "1"],
                configuration: ["repo.url": url])
            finished.signal()
        }
        let deadline = Date().addingTimeInterval(60)
        while !fixture.server.isHanging && Date() < deadline { usleep(50_000) }
        #expect(fixture.server.isHanging, "the fetch never reached the server")
        var searched = 0
        var found: [String] = []
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
            for file in ["cmdline", "environ"] {
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(file)") else { continue }
                searched += 1
                let text = String(decoding: data, as: UTF8.self)
                if [fixture.password, fixture.urlPassword].contains(where: { text.contains($0) }) {
                    found.append("\(pid)/\(file)")
                }
            }
        }
        #expect(searched > 10)
        #expect(found.isEmpty, "credentials in /proc: \(found)")
        #expect(finished.wait(timeout: .now() + 60) == .success, "the agent did not end after repo.fetch_timeout")
    }
}
