import AgentSystem
import TestSupport
import Testing

@testable import AgentConfig

@Suite struct ConfigLoaderTests {
    /// Removed with the suite instance, after each test.
    let scratch: TemporaryDirectory
    var directory: String { scratch.path }

    init() throws {
        scratch = try TemporaryDirectory("sf-agent-config-tests")
    }

    @Test func namedFileMustExist() {
        #expect(throws: ConfigError.fileNotFound(path: "/nonexistent/agent.conf")) {
            try ConfigLoader.load(configPath: "/nonexistent/agent.conf", environment: [:], flags: [:])
        }
        #expect(throws: ConfigError.fileNotFound(path: "/nonexistent/env.conf")) {
            try ConfigLoader.load(configPath: nil, environment: ["SF_CONFIG": "/nonexistent/env.conf"], flags: [:])
        }
    }

    @Test func readsAFileAndLayersOverIt() throws {
        let path = Path.join(directory, "agent.conf")
        try FileSystem.writeAtomically(
            Array("repo.url = /srv/a\nrun.timeout = 5m\nrun.user = 10001:10001\n".utf8), to: path)
        let config = try ConfigLoader.load(
            configPath: nil, environment: ["SF_CONFIG": path, "SF_RUN_TIMEOUT": "7m"], flags: ["run.user": "runner"])
        #expect(config.repository.url == "/srv/a")
        #expect(config.run.timeout == .seconds(420))
        #expect(config.run.user == "runner")
    }

    @Test func aLockInTheFileKeepsThePolicyAndListsWhatItIgnored() throws {
        let path = Path.join(directory, "agent.conf")
        let text =
            "repo.url = /srv/a\nconfig.ignore_environment = policy, sandbox, run, limits\npolicy.allowed_scripts = deploy/*\n"
        try FileSystem.writeAtomically(Array(text.utf8), to: path)
        let config = try ConfigLoader.load(
            configPath: path,
            environment: ["SF_POLICY_ALLOWED_SCRIPTS": "*/*", "SF_SANDBOX_NETWORK": "host", "SF_REPO_REF": "v1"],
            flags: [:])
        #expect(config.policy.allowedScripts == ["deploy/*"])
        #expect(config.repository.ref == "v1")
        #expect(config.environmentLock.sections == ["policy", "sandbox", "run", "limits"])
        #expect(config.environmentLock.source == .file(path: path, line: 2))
        #expect(config.ignoredVariables.map(\.variable) == ["SF_POLICY_ALLOWED_SCRIPTS", "SF_SANDBOX_NETWORK"])
    }

    @Test func flagNamesFileOverEnvironment() throws {
        let path = Path.join(directory, "agent.conf")
        try FileSystem.writeAtomically(Array("repo.url = /srv/flagged\n".utf8), to: path)
        let config = try ConfigLoader.load(configPath: path, environment: ["SF_CONFIG": "/nonexistent"], flags: [:])
        #expect(config.repository.url == "/srv/flagged")
    }
}
