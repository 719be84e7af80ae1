import Testing
@testable import AgentConfig

@Suite struct AgentConfigurationTests {
    func configuration(_ overrides: [String: String]) throws(ConfigError) -> AgentConfiguration {
        var flags = ["repo.url": "/srv/scripts"]
        flags.merge(overrides) { $1 }
        return try AgentConfiguration(values: ConfigLayers.merge(file: [:], environment: [:], flags: flags))
    }

    @Test func defaults() throws {
        let config = try configuration([:])
        #expect(config.repository == .init(url: "/srv/scripts", ref: "main"))
        #expect(config.cacheDirectory == "/var/cache/sf-agent")
        #expect(config.workDirectory == "/workspace")
        #expect(config.outputDirectory == "/output")
        #expect(config.scripts.extensions == ["ps1", "py", "sh"])
        #expect(config.scripts.interpreters["ps1"] == ["pwsh", "-NoProfile", "-NonInteractive", "-File"])
        #expect(config.scripts.interpreters["py"] == ["python3"])
        #expect(config.scripts.interpreters["sh"] == ["bash"])
        #expect(config.policy == .init(allowedRepos: [], allowedRefs: [], requirePinnedCommit: false, allowedScripts: []))
        #expect(config.run.user == "runner")
        #expect(config.run.timeout == .seconds(3600))
        #expect(config.run.killGrace == .seconds(5))
        #expect(config.compression == .gzip)
    }

    @Test func typedValues() throws {
        let config = try configuration([
            "policy.allowed_scripts": " deploy/* , repro-*,,",
            "policy.require_pinned_commit": "yes",
            "run.timeout": "1500ms",
            "run.kill_grace": "2",
            "artifacts.compression": "zstd",
            "env.passthrough": "HTTP_PROXY,no_proxy",
            "scripts.extensions": "sh,py",
            "interpreter.py": "/usr/bin/python3  -I",
        ])
        #expect(config.policy.allowedScripts == ["deploy/*", "repro-*"])
        #expect(config.policy.requirePinnedCommit)
        #expect(config.run.timeout == .milliseconds(1500))
        #expect(config.run.killGrace == .seconds(2))
        #expect(config.compression == .zstd)
        #expect(config.run.passthrough == ["HTTP_PROXY", "no_proxy"])
        #expect(config.scripts.extensions == ["sh", "py"])
        #expect(config.scripts.interpreters["py"] == ["/usr/bin/python3", "-I"])
    }

    @Test(arguments: [
        ("run.timeout", "soon"), ("run.timeout", "0s"), ("run.timeout", "-5s"), ("run.kill_grace", "1d"),
        ("policy.require_pinned_commit", "maybe"), ("artifacts.compression", "xz"),
        ("cache.dir", "relative/cache"), ("output.dir", ""), ("scripts.dir", "../elsewhere"),
        ("scripts.dir", "/abs"), ("scripts.extensions", "rb"), ("scripts.extensions", ""),
        ("env.passthrough", "BAD-NAME"), ("interpreter.sh", "  "), ("repo.ref", ""),
    ])
    func invalidValuesNameTheKey(key: String, value: String) {
        #expect {
            try configuration([key: value])
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.description.contains("`\(key)`")
        }
    }

    @Test func missingRepositoryNamesEveryWayToSetIt() {
        #expect(throws: ConfigError.missingValue(key: .repoURL)) {
            try AgentConfiguration(values: ConfigLayers.merge(file: [:], environment: [:], flags: [:]))
        }
        #expect(ConfigError.missingValue(key: .repoURL).description
            == "`repo.url` is not set: set it in agent.conf, in SF_REPO_URL, or with --set repo.url=...")
    }

    @Test func invalidValueSaysWhereItCameFrom() {
        let values = try? ConfigLayers.merge(
            file: [:], environment: ["SF_RUN_TIMEOUT": "forever", "SF_REPO_URL": "/r"], flags: [:])
        #expect(throws: ConfigError.invalidValue(
            key: "run.timeout", value: "forever", source: .environment(name: "SF_RUN_TIMEOUT"),
            expected: "a positive duration such as 90s, 30m or 2h")) {
            try AgentConfiguration(values: values ?? [:])
        }
    }
}
