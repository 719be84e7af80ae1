import Testing
@testable import AgentConfig

@Suite struct ConfigLayersTests {
    @Test func environmentNames() {
        #expect(ConfigKey.repoURL.environmentName == "SF_REPO_URL")
        #expect(ConfigKey.runKillGrace.environmentName == "SF_RUN_KILL_GRACE")
        #expect(ConfigKey.interpreterPs1.environmentName == "SF_INTERPRETER_PS1")
        #expect(ConfigKey.policyRequirePinnedCommit.environmentName == "SF_POLICY_REQUIRE_PINNED_COMMIT")
        #expect(ConfigKey("a.b-c", default: "", "").environmentName == "SF_A_B_C")
    }

    @Test func precedenceIsFlagThenEnvironmentThenFileThenDefault() throws {
        let file = [
            "run.timeout": SourcedValue("1m", from: .file(path: "f", line: 1)),
            "run.user": SourcedValue("filed", from: .file(path: "f", line: 2)),
            "repo.ref": SourcedValue("from-file", from: .file(path: "f", line: 3)),
        ]
        let environment = ["SF_RUN_TIMEOUT": "2m", "SF_RUN_USER": "env-user", "UNRELATED": "x"]
        let merged = try ConfigLayers.merge(file: file, environment: environment, flags: ["run.timeout": "3m"])
        #expect(merged[.runTimeout] == SourcedValue("3m", from: .flag))
        #expect(merged[.runUser] == SourcedValue("env-user", from: .environment(name: "SF_RUN_USER")))
        #expect(merged[.repoRef] == SourcedValue("from-file", from: .file(path: "f", line: 3)))
        #expect(merged[.runKillGrace] == SourcedValue("10s", from: .builtInDefault))
        #expect(merged.count == ConfigKey.all.count)
    }

    @Test func unknownFlagKeyIsRefused() {
        #expect(throws: ConfigError.unknownKey(key: "run.timout", source: .flag)) {
            try ConfigLayers.merge(file: [:], environment: [:], flags: ["run.timout": "1m"])
        }
    }

    @Test func parsesSetAssignments() throws {
        #expect(try ConfigLayers.parseFlags(["a=1", "b==2", "a=3"]) == ["a": "3", "b": "=2"])
        #expect(throws: ConfigError.self) { try ConfigLayers.parseFlags(["novalue"]) }
        #expect(throws: ConfigError.self) { try ConfigLayers.parseFlags(["=x"]) }
    }

    @Test func keyNamesAreUnique() {
        #expect(Set(ConfigKey.all.map(\.name)).count == ConfigKey.all.count)
    }
}
