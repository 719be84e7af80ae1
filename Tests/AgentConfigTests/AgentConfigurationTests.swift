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
        #expect(
            config.policy == .init(allowedRepos: [], allowedRefs: [], requirePinnedCommit: false, allowedScripts: []))
        #expect(config.run.user == "runner")
        #expect(config.run.timeout == .seconds(3600))
        #expect(config.run.killGrace == .seconds(5))
        #expect(config.compression == .gzip)
    }

    /// A JOB_ID names a folder in work.dir, output.dir and secrets.files_dir:
    /// none of the agent's folders may be another or lie inside one.
    @Test func theAgentsFoldersMayNotNest() throws {
        // overrides → the key refused (nil: accepted)
        let table: [([String: String], String?)] = [
            ([:], nil),
            (["work.dir": "/data", "cache.dir": "/data"], "work.dir"),
            (["cache.dir": "/workspace/cache"], "cache.dir"),
            (["output.dir": "/workspace/"], "output.dir"),
            (["secrets.files_dir": "/output/secrets"], "secrets.files_dir"),
            (["secrets.dir": "/run/secrets,/var/cache/sf-agent/keys"], "secrets.dir"),
            (["work.dir": "/work", "output.dir": "/workspace"], nil),  // a shared prefix is not nesting
        ]
        for (overrides, refused) in table {
            do {
                _ = try configuration(overrides)
                #expect(refused == nil, "\(overrides) should be refused")
            } catch {
                guard error.code == .invalidValue else {
                    Issue.record("\(overrides): \(error)")
                    continue
                }
                #expect(error.key == refused, "\(overrides): \(error)")
                #expect(error.message.contains("may not be the same or lie inside one another"))
            }
        }
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
        #expect(
            ConfigError.missingValue(key: .repoURL).description
                == "`repo.url` is not set: set it in agent.conf, in SF_REPO_URL, or with --set repo.url=...")
    }

    @Test func invalidValueSaysWhereItCameFrom() {
        let values = try? ConfigLayers.merge(
            file: [:], environment: ["SF_RUN_TIMEOUT": "forever", "SF_REPO_URL": "/r"], flags: [:])
        #expect(
            throws: ConfigError.invalidValue(
                key: "run.timeout", value: "forever", source: .environment(name: "SF_RUN_TIMEOUT"),
                expected: "a positive duration such as 90s, 30m or 2h")
        ) {
            try AgentConfiguration(values: values ?? [:])
        }
    }
}
