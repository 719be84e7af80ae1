import Testing

@testable import AgentConfig

/// `limits.*` and `sandbox.*`: the values each key accepts, as a table.
@Suite struct SandboxSettingsTests {
    func configuration(_ overrides: [String: String]) throws(ConfigError) -> AgentConfiguration {
        var flags = ["repo.url": "/srv/scripts"]
        flags.merge(overrides) { $1 }
        return try AgentConfiguration(values: ConfigLayers.merge(file: [:], environment: [:], flags: flags))
    }

    @Test func defaultsStopARunawayButNotATypicalScript() throws {
        let config = try configuration([:])
        #expect(
            config.limits
                == .init(cpuSeconds: 3600, memoryBytes: 8 << 30, processes: 512, openFiles: 1024, fileBytes: 8 << 30))
        #expect(
            config.sandbox.readPaths == ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/opt", "/proc"])
        #expect(config.sandbox.network == .host)
        #expect(config.sandbox.require == [])
    }

    @Test func sizesCountsAndUnlimited() throws {
        let config = try configuration([
            "limits.memory_bytes": "512M", "limits.file_bytes": "unlimited", "limits.cpu_seconds": "90",
            "limits.processes": "unlimited", "limits.open_files": "4096",
        ])
        #expect(
            config.limits
                == .init(cpuSeconds: 90, memoryBytes: 512 << 20, processes: nil, openFiles: 4096, fileBytes: nil))
        #expect(try configuration(["limits.memory_bytes": "3K"]).limits.memoryBytes == 3072)
        #expect(try configuration(["limits.memory_bytes": "1T"]).limits.memoryBytes == 1 << 40)
        #expect(try configuration(["limits.memory_bytes": "1000"]).limits.memoryBytes == 1000)
    }

    @Test(arguments: [
        ("limits.cpu_seconds", "0"), ("limits.cpu_seconds", "10s"), ("limits.processes", "-1"),
        ("limits.open_files", "1K"), ("limits.memory_bytes", "8GB"), ("limits.memory_bytes", "G"),
        ("limits.file_bytes", "99999999999999999999"), ("limits.file_bytes", "16777216T"),
        ("sandbox.read_paths", "usr,/etc"), ("sandbox.network", "off"), ("sandbox.require", "landlock,apparmor"),
        ("sandbox.require", "network"),
    ])
    func badValuesNameTheKey(key: String, value: String) {
        #expect {
            _ = try configuration([key: value])
        } throws: { error in
            "\(error)".contains("`\(key)`") || "\(error)".contains("`sandbox.require`")
        }
    }

    @Test func networkMayBeRequiredOnlyWhenItIsDenied() throws {
        let config = try configuration(["sandbox.network": "none", "sandbox.require": "network, landlock"])
        #expect(config.sandbox.require == [.network, .landlock])
    }
}
