import ConfigKeys

/// Compression of the artifacts archive.
package enum CompressionSetting: String, Sendable, CaseIterable {
    case gzip, zstd, none
}

/// Whether the script may use the network.
package enum NetworkSetting: String, Sendable, CaseIterable {
    case host, none
}

/// A sandbox layer `sandbox.require` may name.
package enum SandboxLayerSetting: String, Sendable, CaseIterable {
    case landlock, seccomp, network, user, containment
}

/// `sandbox.shm`: where the job's `/dev/shm` may come from.
package enum SharedMemorySetting: String, Sendable, CaseIterable {
    /// A tmpfs of the job's own where a mount namespace can be made, else none.
    case auto
    /// As `auto`, else (the agent as the container's PID 1) the container's own.
    case container
    /// No `/dev/shm` at all.
    case none
}

/// Everything the agent needs to know before it reads a job, typed and validated.
///
/// Build one with ``ConfigLoader/load(configPath:environment:flags:)``; the
/// stages read its fields and never see raw strings.
package struct AgentConfiguration: Sendable, Equatable {
    package struct Repository: Sendable, Equatable {
        /// URL or path of the scripts repository.
        package var url: String
        /// The default ref a job runs.
        package var ref: String
    }

    package struct Scripts: Sendable, Equatable {
        /// Folder inside the repository holding the scripts; empty for the top.
        package var directory: String
        /// Extensions tried in order.
        package var extensions: [String]
        /// The command that runs each extension's scripts.
        package var interpreters: [String: [String]]
    }

    package struct PolicySettings: Sendable, Equatable {
        package var allowedRepos: [String]
        package var allowedRefs: [String]
        package var requirePinnedCommit: Bool
        package var allowedScripts: [String]
        /// `policy.script_digests`: an absolute path to a `sha256sum` file, or nil.
        package var scriptDigests: String?
    }

    package struct Run: Sendable, Equatable {
        /// `name` or `uid:gid`, used when the agent is root.
        package var user: String
        package var timeout: Duration
        package var killGrace: Duration
        /// `PATH` for the script and for finding interpreters.
        package var path: String
        /// Agent environment variables passed to the script.
        package var passthrough: [String]
    }

    package var repository: Repository
    package var cacheDirectory: String
    package var workDirectory: String
    package var outputDirectory: String
    package var scripts: Scripts
    package var policy: PolicySettings
    package struct Limits: Sendable, Equatable {
        /// nil is unlimited for each.
        package var cpuSeconds: UInt64?
        package var memoryBytes: UInt64?
        package var processes: UInt64?
        package var openFiles: UInt64?
        package var fileBytes: UInt64?
    }

    package struct Sandbox: Sendable, Equatable {
        /// Absolute paths the script may read and execute.
        package var readPaths: [String]
        /// Absolute paths the script may also write.
        package var writePaths: [String]
        /// The size of the job's own `/dev/shm`.
        package var shmBytes: UInt64
        /// Where the job's `/dev/shm` may come from.
        package var shm: SharedMemorySetting
        package var network: NetworkSetting
        /// The layers that must apply, in the order written.
        package var require: [SandboxLayerSetting]
    }

    package var run: Run
    package var limits: Limits
    package var sandbox: Sandbox
    package var compression: CompressionSetting
    package var secrets: SecretSettings
    package var output: OutputSettings
    package var artifacts: ArtifactSettings
    package var report: ReportSettings

    /// Fetching, credentials, the shared cache and ref verification.
    package var source: SourceSettings
    /// `config.ignore_environment` as the file set it.
    package var environmentLock = EnvironmentLock()
    /// `SF_*` variables that were set and not used (locked sections,
    /// file-only keys), for a warning each.
    package var ignoredVariables: [IgnoredVariable] = []

    /// The extensions that have an interpreter key.
    package static let supportedExtensions = ["ps1", "py", "sh"]

    /// Builds the typed configuration from layered raw values.
    package init(values: [ConfigKey: SourcedValue]) throws(ConfigError) {
        let parser = ConfigValueParser(values: values)
        repository = Repository(url: try parser.required(.repoURL), ref: try parser.required(.repoRef))
        cacheDirectory = try parser.absolutePath(.cacheDir)
        workDirectory = try parser.absolutePath(.workDir)
        outputDirectory = try parser.absolutePath(.outputDir)

        let written = parser.string(.scriptsDir)
        guard Self.isRelativeInsidePath(written) else {
            throw parser.invalid(.scriptsDir, expected: "a relative folder inside the repository, without `..`")
        }
        // `./scripts`, `scripts/` and `a//b` name what `scripts` and `a/b` do, and
        // the script's recorded path (policy.script_digests) must not depend on it.
        let directory = Self.normalizedRelativePath(written)
        let extensions = parser.list(.scriptsExtensions)
        guard !extensions.isEmpty, extensions.allSatisfy(Self.supportedExtensions.contains) else {
            throw parser.invalid(.scriptsExtensions, expected: "a list drawn from ps1, py, sh")
        }
        scripts = Scripts(
            directory: directory,
            extensions: extensions,
            interpreters: [
                "ps1": try parser.command(.interpreterPs1),
                "py": try parser.command(.interpreterPy),
                "sh": try parser.command(.interpreterSh),
            ])

        policy = PolicySettings(
            allowedRepos: parser.list(.policyAllowedRepos),
            allowedRefs: parser.list(.policyAllowedRefs),
            requirePinnedCommit: try parser.bool(.policyRequirePinnedCommit),
            allowedScripts: parser.list(.policyAllowedScripts),
            scriptDigests: try Self.optionalAbsolutePath(parser, .policyScriptDigests))

        let passthrough = parser.list(.envPassthrough)
        guard passthrough.allSatisfy(Self.isEnvironmentName) else {
            throw parser.invalid(.envPassthrough, expected: "environment variable names ([A-Za-z_][A-Za-z0-9_]*)")
        }
        let user = try parser.required(.runUser)
        run = Run(
            user: user,
            timeout: try parser.duration(.runTimeout),
            killGrace: try parser.duration(.runKillGrace),
            path: try parser.required(.runPath),
            passthrough: passthrough)
        limits = Limits(
            cpuSeconds: try parser.limit(.limitsCPUSeconds, bytes: false),
            memoryBytes: try parser.limit(.limitsMemoryBytes, bytes: true),
            processes: try parser.limit(.limitsProcesses, bytes: false),
            openFiles: try parser.limit(.limitsOpenFiles, bytes: false),
            fileBytes: try parser.limit(.limitsFileBytes, bytes: true))

        let readPaths = parser.list(.sandboxReadPaths)
        guard readPaths.allSatisfy({ $0.hasPrefix("/") && !$0.contains("\0") }) else {
            throw parser.invalid(.sandboxReadPaths, expected: "a list of absolute paths")
        }
        let writePaths = parser.list(.sandboxWritePaths)
        guard writePaths.allSatisfy({ $0.hasPrefix("/") && !$0.contains("\0") && $0 != "/" }) else {
            throw parser.invalid(.sandboxWritePaths, expected: "a list of absolute paths other than /")
        }
        guard let shmBytes = try parser.limit(.sandboxShmSize, bytes: true) else {
            throw parser.invalid(.sandboxShmSize, expected: "a positive size such as 64M")
        }
        let shm = try parser.choice(.sandboxShm, as: SharedMemorySetting.self)
        let network = try parser.choice(.sandboxNetwork, as: NetworkSetting.self)
        var require: [SandboxLayerSetting] = []
        for name in parser.list(.sandboxRequire) {
            guard let layer = SandboxLayerSetting(rawValue: name) else {
                throw parser.invalid(
                    .sandboxRequire,
                    expected: "a list drawn from "
                        + SandboxLayerSetting.allCases.map(\.rawValue).joined(separator: ", "))
            }
            require.append(layer)
        }
        if require.contains(.network) && network == .host {
            throw parser.invalid(
                .sandboxRequire, expected: "no `network` while sandbox.network = host (set sandbox.network = none)")
        }
        sandbox = Sandbox(
            readPaths: readPaths, writePaths: writePaths, shmBytes: shmBytes, shm: shm, network: network,
            require: require)
        compression = try parser.choice(.artifactsCompression, as: CompressionSetting.self)
        secrets = try SecretSettings(parser)
        output = try OutputSettings(parser)
        artifacts = try ArtifactSettings(parser)
        source = try SourceSettings(parser)
        report = try ReportSettings(parser)

        // A job's folders are named by JOB_ID inside work.dir, output.dir and
        // secrets.files_dir: if one of the agent's folders lay inside another,
        // a JOB_ID could name (and have the agent replace) the cache, say.
        let folders: [(ConfigKey, String)] =
            [
                (.cacheDir, cacheDirectory), (.workDir, workDirectory), (.outputDir, outputDirectory),
                (.secretsFilesDir, secrets.filesDirectory),
            ] + secrets.directories.map { (.secretsDir, $0) }
        if let (inner, outer) = Self.nestedFolders(folders) {
            throw parser.invalid(
                inner.0,
                expected:
                    "a folder apart from \(outer.0.name) (\(outer.1)): the agent's folders may not be the same or lie inside one another"
            )
        }
    }

    /// The first pair of folders where the first is the second or lies
    /// inside it (paths compared by component, trailing slashes ignored).
    static func nestedFolders(_ folders: [(ConfigKey, String)]) -> ((ConfigKey, String), (ConfigKey, String))? {
        func components(_ path: String) -> [Substring] { path.split(separator: "/") }
        for (index, inner) in folders.enumerated() {
            for (other, outer) in folders.enumerated() where other != index {
                let innerParts = components(inner.1)
                let outerParts = components(outer.1)
                guard innerParts.starts(with: outerParts) else { continue }
                // Equal folders are reported once, the later one as the inner.
                if innerParts.count == outerParts.count && index < other { continue }
                return (inner, outer)
            }
        }
        return nil
    }

    /// An absolute path, or nil when the key is empty.
    static func optionalAbsolutePath(_ parser: ConfigValueParser, _ key: ConfigKey) throws(ConfigError) -> String? {
        let value = parser.string(key)
        if value.isEmpty { return nil }
        guard value.hasPrefix("/"), !value.contains("\0") else {
            throw parser.invalid(key, expected: "an absolute path")
        }
        return value
    }

    /// Checked byte for byte: `/` and a combining mark after it are one
    /// `Character`, which hid the `..` of `../` + U+0301 `x`.
    /// `path` without empty and `.` components (`""` for the top).
    static func normalizedRelativePath(_ path: String) -> String {
        let bytes = Array(path.utf8)
        let parts = bytes.split(separator: UInt8(ascii: "/")).filter { !$0.elementsEqual(".".utf8) }
        return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }

    static func isRelativeInsidePath(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "/") || bytes.contains(0) { return false }
        return bytes.split(separator: UInt8(ascii: "/")).allSatisfy { !$0.elementsEqual("..".utf8) }
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0)
        }
    }
}
