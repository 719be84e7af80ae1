import Foundation
import TestSupport
import Testing

/// The real agent fetching its scripts over smart HTTP (basic auth), HTTPS
/// (a private CA in `repo.ca_file`) and SSH (a key and pinned host keys)
/// from real servers on 127.0.0.1. Credentials never reach result.json, the
/// logs, the output folder or the script.
@Suite(.requiresRoot, .serialized, .timeLimit(.minutes(10))) struct TransportJobTests {
    /// Prints what it can see of the agent's credentials: the environment and the credential files.
    static func script(_ files: [String]) -> String {
        "echo \"running $(cat \"$(dirname \"$0\")/version.txt\")\"\nenv\n"
            + files.map { "cat \($0) 2>&1 || true\n" }.joined()
    }

    /// Everything the job left behind, as text: stdout, stderr and every file in its output folder.
    func everything(_ world: AgentWorld, _ jobID: String, _ run: Command.Output) -> String {
        var text = run.stdout + run.stderr
        let folder = world.outputFolder(jobID)
        for name in (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? [] {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) {
                text += String(decoding: data, as: UTF8.self)
            }
        }
        return text
    }

    func writeSecret(_ world: AgentWorld, _ name: String, _ text: String) throws -> String {
        let path = world.root + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    @Test(arguments: [false, true]) func httpJobsCloneThenFetchAndAWrongTokenIsRefused(tls: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let password = "pw-\(UUID().uuidString.prefix(12))"
        let server = try GitHTTPServer(projectRoot: world.root, password: password)
        defer { server.stop() }
        let token = try writeSecret(world, "token", "ci:\(password)\n")
        try world.commit(["hello.sh": Self.script([token]), "version.txt": "one\n"])
        var settings = [
            "repo.url": server.url("repo", tls: tls, host: tls ? "localhost" : "127.0.0.1"), "repo.token_file": token,
        ]
        if tls { settings["repo.ca_file"] = server.caFile }

        let first = try world.agent(job: ["JOB_ID": "http-1", "SCRIPT_ID": "hello"], settings: settings)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("running one"), "\(first.stdout)")
        #expect(
            first.stdout.contains("\(token): Permission denied"),
            "the script cannot read the token file: \(first.stdout)")
        try world.validateResult("http-1")
        #expect(try world.result("http-1")["commit"] as? String == (try world.git("rev-parse", "HEAD")))
        #expect(!everything(world, "http-1", first).contains(password))

        try world.commit(["version.txt": "two\n"], message: "two")
        let second = try world.agent(job: ["JOB_ID": "http-2", "SCRIPT_ID": "hello"], settings: settings)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("running two"), "\(second.stdout)")
        #expect(!everything(world, "http-2", second).contains(password))

        let wrong = "wrong-\(UUID().uuidString.prefix(12))"
        settings["repo.token_file"] = try writeSecret(world, "wrong-token", "ci:\(wrong)\n")
        let refused = try world.agent(job: ["JOB_ID": "http-3", "SCRIPT_ID": "hello"], settings: settings)
        #expect(refused.status == 69, "\(refused.stderr)")
        try world.validateResult("http-3")
        let result = try world.result("http-3")
        #expect(result["status"] as? String == "error")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "source_error")
        let message = try #require(error["message"] as? String)
        #expect(message.contains("refused the credentials in repo.token_file"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        let left = everything(world, "http-3", refused)
        #expect(!left.contains(wrong) && !left.contains(password))
        #expect(server.errorLog.components(separatedBy: "password doesn't match").count - 1 == 1, "\(server.errorLog)")
    }

    /// `user:password@` in `repo.url` works and is stripped from everything the job leaves.
    @Test func credentialsInTheURLAreUsedAndNeverShown() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let password = "urlpw-\(UUID().uuidString.prefix(12))"
        let server = try GitHTTPServer(projectRoot: world.root, password: password)
        defer { server.stop() }
        try world.commit(["hello.sh": Self.script([]), "version.txt": "url\n"])
        let url = server.url("repo").replacingOccurrences(of: "://", with: "://ci:\(password)@")
        let run = try world.agent(job: ["JOB_ID": "url-1", "SCRIPT_ID": "hello"], settings: ["repo.url": url])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("running url"), "\(run.stdout)")
        try world.validateResult("url-1")
        #expect(try world.result("url-1")["repository"] as? String == server.url("repo"))
        #expect(!everything(world, "url-1", run).contains(password))
    }

    @Test func httpsWithoutTheCAFileIsACertificateError() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let server = try GitHTTPServer(projectRoot: world.root, password: "unused-password")
        defer { server.stop() }
        try world.commit(["hello.sh": "echo hello\n"])
        let run = try world.agent(
            job: ["JOB_ID": "https-ca", "SCRIPT_ID": "hello"],
            settings: ["repo.url": server.url("repo", tls: true, authenticated: false, host: "localhost")])
        #expect(run.status == 69, "\(run.stderr)")
        try world.validateResult("https-ca")
        let error = try #require(try world.result("https-ca")["error"] as? [String: Any])
        let message = try #require(error["message"] as? String)
        #expect(message.contains("certificate"), "\(message)")
        #expect(message.contains("set repo.ca_file"), "\(message)")
    }

    @Test func sshJobsCloneThenFetchAndAChangedHostKeyIsRefused() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let key = try SSHKeyPair(type: "ed25519", in: world.root, name: "id_agent")
        chmod(key.privateKeyFile, 0o600)
        let server = try SSHServer(authorizedKeys: [key.publicKey])
        defer { server.stop() }
        let knownHosts = try writeSecret(world, "known_hosts", server.knownHostsLine() + "\n")
        try world.commit(["hello.sh": Self.script([key.privateKeyFile]), "version.txt": "one\n"])
        var settings = [
            "repo.url": server.url(world.repository), "repo.ssh_key_file": key.privateKeyFile,
            "repo.ssh_known_hosts": knownHosts,
        ]
        let privateKey = try String(contentsOfFile: key.privateKeyFile, encoding: .utf8)
        let keyBody = try #require(privateKey.split(separator: "\n").dropFirst().first.map(String.init))

        let first = try world.agent(job: ["JOB_ID": "ssh-1", "SCRIPT_ID": "hello"], settings: settings)
        #expect(first.status == 0, "\(first.stderr)\n\(server.log)")
        #expect(first.stdout.contains("running one"), "\(first.stdout)")
        try world.validateResult("ssh-1")
        #expect(!everything(world, "ssh-1", first).contains(keyBody), "the private key leaked")
        #expect(first.stdout.contains("\(key.privateKeyFile): Permission denied"), "\(first.stdout)")

        try world.commit(["version.txt": "two\n"], message: "two")
        let second = try world.agent(job: ["JOB_ID": "ssh-2", "SCRIPT_ID": "hello"], settings: settings)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("running two"), "\(second.stdout)")

        let impostor = try SSHKeyPair(type: "ed25519", in: world.root, name: "id_impostor")
        let pinned =
            "[127.0.0.1]:\(server.port) \(impostor.publicKey.split(separator: " ").prefix(2).joined(separator: " "))\n"
        settings["repo.ssh_known_hosts"] = try writeSecret(world, "changed_hosts", pinned)
        try world.commit(["version.txt": "three\n"], message: "three")
        let refused = try world.agent(job: ["JOB_ID": "ssh-3", "SCRIPT_ID": "hello"], settings: settings)
        #expect(refused.status == 69, "\(refused.stderr)")
        try world.validateResult("ssh-3")
        let error = try #require(try world.result("ssh-3")["error"] as? [String: Any])
        let message = try #require(error["message"] as? String)
        let fingerprint = try FixtureTools.run("/usr/bin/ssh-keygen", ["-l", "-f", server.state + "/host_ed25519.pub"])
            .split(separator: " ")[1]
        #expect(message.contains("(ssh-ed25519 \(fingerprint)) does not match the key pinned for it"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
    }
}
