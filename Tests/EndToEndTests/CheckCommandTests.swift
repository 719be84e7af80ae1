import Foundation
import TestSupport
import Testing

/// `sf-agent check` resolves everything and prints the plan, running nothing.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct CheckCommandTests {
    @Test func printsThePlanAndRunsNothing() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["deploy/web.py": #"open("/tmp/sf-e2e-ran-check", "w").write("ran")"#])
        let run = try world.agent(
            "check", job: ["JOB_ID": "check-1", "SCRIPT_ID": "deploy/web", "PARAMETERS": #"{"host": "a b", "n": 2}"#])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("ref          main -> \(commit)"), "\(run.stdout)")
        #expect(run.stdout.contains("script       deploy/web.py (sha256 "))
        #expect(run.stdout.contains("/checkouts/\(commit)/deploy/web.py --host 'a b' --n 2"), "\(run.stdout)")
        #expect(run.stdout.contains("user         runner (uid 10001, gid 10001, groups 10001)"))
        #expect(run.stdout.contains("rule passed  policy.allowed_scripts"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sf-e2e-ran-check"))
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("check-1")), "check writes no job output")
        #expect(!FileManager.default.fileExists(atPath: world.work + "/check-1"))
    }

    @Test func showsTheSocketRuleOfNoNetwork() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["deploy/web.py": "pass\n"])
        for (network, seccomp) in [
            (
                "none",
                "seccomp      socket(2) refused but netlink, socketpair(2) stream and seqpacket only, io_uring refused, TIOCSTI, TIOCLINUX denied"
            ),
            ("host", "seccomp      io_uring refused, TIOCSTI, TIOCLINUX denied"),
        ] {
            let run = try world.agent(
                "check", job: ["JOB_ID": "check-net", "SCRIPT_ID": "deploy/web"], settings: ["sandbox.network": network]
            )
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains(seccomp + "\n"), "\(run.stdout)")
        }
    }

    @Test func refusalExitsWithTheRejectedCode() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["deploy/web.py": "pass\n"])
        let run = try world.agent(
            "check", job: ["JOB_ID": "check-2", "SCRIPT_ID": "deploy/web"],
            settings: ["policy.allowed_scripts": "other/*"])
        #expect(run.status == 77)
        #expect(run.stderr.contains("policy.allowed_scripts"))
    }

    @Test func versionPrints() throws {
        let output = try Command.run(AgentWorld.agentBinary, ["version"])
        #expect(output.status == 0)
        #expect(output.stdout.hasPrefix("sf-agent "))
    }
}

/// `check` prints argv; secrets and the agent's credentials in it are masked.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct CheckMaskingTests {
    @Test func checkMasksSecretsAndCredentials() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["deploy/web.py": "pass\n"])
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "s3cr3t-value-123\n".write(toFile: secrets + "/api_token", atomically: true, encoding: .utf8)
        try "deployer:tokpass-987654\n".write(toFile: world.root + "/repo-token", atomically: true, encoding: .utf8)
        let run = try world.agent(
            "check",
            job: [
                "JOB_ID": "check-mask", "SCRIPT_ID": "deploy/web",
                "PARAMETERS": #"{"token": "s3cr3t-value-123", "pass": "tokpass-987654", "host": "web-1"}"#,
            ],
            settings: ["secrets.dir": secrets, "repo.token_file": world.root + "/repo-token"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("s3cr3t-value-123"), "\(run.stdout)")
        #expect(!run.stdout.contains("tokpass-987654"), "\(run.stdout)")
        #expect(run.stdout.contains("--token '***'") || run.stdout.contains("--token ***"), "\(run.stdout)")
        #expect(run.stdout.contains("--host web-1"), "ordinary values are untouched")
    }
}
