import ConfigKeys
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
        #expect(merged[.runKillGrace] == SourcedValue("5s", from: .builtInDefault))
        #expect(merged.count == ConfigKey.all.count)
    }

    /// `config.ignore_environment` in the file: where `policy.allowed_scripts`
    /// comes from, and whether `SF_POLICY_ALLOWED_SCRIPTS` is reported ignored.
    @Test func theFilesLockKeepsLockedSectionsFromTheEnvironment() throws {
        let file = { (lock: String?) -> [String: SourcedValue] in
            var values = ["policy.allowed_scripts": SourcedValue("deploy/*", from: .file(path: "f", line: 1))]
            if let lock { values["config.ignore_environment"] = SourcedValue(lock, from: .file(path: "f", line: 2)) }
            return values
        }
        let fromFile = SourcedValue("deploy/*", from: .file(path: "f", line: 1))
        let fromVariable = SourcedValue("*/*", from: .environment(name: "SF_POLICY_ALLOWED_SCRIPTS"))
        let fromFlag = SourcedValue("ops/*", from: .flag)
        // (lock in the file, SF_POLICY_ALLOWED_SCRIPTS, --set policy.allowed_scripts, value used, variable ignored)
        let table: [(String?, String?, String?, SourcedValue, Bool)] = [
            (nil, "*/*", nil, fromVariable, false),  // no lock: today's precedence
            ("", "*/*", nil, fromVariable, false),
            ("policy", "*/*", nil, fromFile, true),
            ("policy, sandbox, run, limits", "*/*", nil, fromFile, true),
            ("sandbox,run", "*/*", nil, fromVariable, false),  // another section
            ("*", "*/*", nil, fromFile, true),
            ("policy", "*/*", "ops/*", fromFlag, true),  // the command line is the operator's
            ("policy", nil, nil, fromFile, false),  // nothing to ignore
            (nil, nil, "ops/*", fromFlag, false),
        ]
        for (lock, variable, flag, expected, ignored) in table {
            let environment = variable.map { ["SF_POLICY_ALLOWED_SCRIPTS": $0] } ?? [:]
            let flags = flag.map { ["policy.allowed_scripts": $0] } ?? [:]
            let layered = try ConfigLayers.layer(file: file(lock), environment: environment, flags: flags)
            let row = "lock \(lock ?? "-"), variable \(variable ?? "-"), flag \(flag ?? "-")"
            #expect(layered.values[.policyAllowedScripts] == expected, "\(row)")
            let expectedIgnored =
                ignored ? [IgnoredVariable(key: .policyAllowedScripts, lock: .file(path: "f", line: 2))] : []
            #expect(layered.ignored == expectedIgnored, "\(row)")
        }
    }

    @Test func aLockedKeyTheFileDoesNotSetTakesItsDefault() throws {
        let lock = ["config.ignore_environment": SourcedValue("run, limits", from: .file(path: "f", line: 1))]
        let layered = try ConfigLayers.layer(
            file: lock, environment: ["SF_RUN_TIMEOUT": "9h", "SF_LIMITS_PROCESSES": "unlimited", "SF_REPO_REF": "v2"],
            flags: [:])
        #expect(layered.values[.runTimeout] == SourcedValue("1h", from: .builtInDefault))
        #expect(layered.values[.limitsProcesses] == SourcedValue("512", from: .builtInDefault))
        #expect(
            layered.values[.repoRef] == SourcedValue("v2", from: .environment(name: "SF_REPO_REF")),
            "repo is not locked")
        #expect(layered.ignored.map(\.variable) == ["SF_RUN_TIMEOUT", "SF_LIMITS_PROCESSES"])
        #expect(layered.lock.sections == ["run", "limits"])
    }

    @Test func theLockItselfComesFromTheFileOnly() throws {
        // Its variable is ignored (and cannot lock anything) …
        let layered = try ConfigLayers.layer(
            file: [:], environment: ["SF_CONFIG_IGNORE_ENVIRONMENT": "policy", "SF_POLICY_ALLOWED_SCRIPTS": "*/*"],
            flags: [:])
        #expect(layered.values[.configIgnoreEnvironment] == SourcedValue("", from: .builtInDefault))
        #expect(
            layered.values[.policyAllowedScripts]
                == SourcedValue("*/*", from: .environment(name: "SF_POLICY_ALLOWED_SCRIPTS")))
        #expect(layered.ignored == [IgnoredVariable(key: .configIgnoreEnvironment, lock: nil)])
        #expect("\(layered.ignored[0])".contains("SF_CONFIG_IGNORE_ENVIRONMENT is ignored: config.ignore_environment"))
        // … and --set refuses it, naming where to put it.
        #expect(throws: ConfigError.fileOnlyKey(key: .configIgnoreEnvironment, source: .flag)) {
            try ConfigLayers.layer(file: [:], environment: [:], flags: ["config.ignore_environment": ""])
        }
    }

    @Test func theLockNamesOnlySectionsThatExist() throws {
        let value = SourcedValue("policy, secret", from: .file(path: "/etc/sf-agent/agent.conf", line: 4))
        #expect {
            try ConfigLayers.layer(file: ["config.ignore_environment": value], environment: [:], flags: [:])
        } throws: { error in
            let text = "\(error)"
            return text.contains("`policy, secret`") && text.contains("/etc/sf-agent/agent.conf:4")
                && text.contains("secrets")
        }
        #expect(
            EnvironmentLock.knownSections == [
                "repo", "cache", "work", "output", "scripts", "interpreter", "policy", "run", "env", "limits",
                "sandbox",
                "artifacts", "secrets", "report",
            ])
    }

    @Test func anIgnoredVariableNamesTheVariableTheKeyAndTheLock() {
        let ignored = IgnoredVariable(
            key: .policyAllowedScripts, lock: .file(path: "/etc/sf-agent/agent.conf", line: 3))
        #expect(
            ignored.description == "SF_POLICY_ALLOWED_SCRIPTS is ignored: config.ignore_environment "
                + "(/etc/sf-agent/agent.conf:3) locks the policy section, so policy.allowed_scripts comes from the configuration file or --set only."
        )
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
