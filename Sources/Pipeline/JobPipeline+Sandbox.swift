import AgentConfig
import AgentSystem
import ConfigKeys
import Launch
import Report

extension JobPipeline {
    /// Decides the sandbox for a script running as `user` from `checkout`
    /// with `workDirectory`: probes the host, refuses the job when a layer
    /// `sandbox.require` names cannot apply, and lists the Landlock rules.
    func makeSandbox(user: RunUser, checkout: String, workDirectory: String) throws(JobError) -> SandboxPlan {
        let settings = configuration.sandbox
        let limits = configuration.limits
        let policy = SandboxPolicy(
            readPaths: settings.readPaths, denyNetwork: settings.network.deniesNetwork,
            require: Set(settings.require.map(SandboxLayer.init)),
            limits: ResourceLimits(
                cpuSeconds: limits.cpuSeconds, memoryBytes: limits.memoryBytes, processes: limits.processes,
                openFiles: limits.openFiles, fileBytes: limits.fileBytes),
            sharedMemory: SharedMemoryRequest(settings.shm))
        let host = SandboxHost.probe(wantsNetworkNamespace: policy.denyNetwork)
        let decision = policy.decide(host: host, scriptUID: user.uid)
        guard decision.missing.isEmpty else {
            let reasons = decision.missing.map { Self.whyUnavailable($0, host: host, uid: user.uid) }
            throw JobError(
                .sandboxUnavailable,
                "\(ConfigKey.sandboxRequire) asks for \(decision.missing.map(\.rawValue).joined(separator: ", ")), which this host cannot apply: "
                    + reasons.joined(separator: "; ") + ". Nothing ran.",
                rule: .key(.sandboxRequire))
        }
        // A private /dev/shm is mounted over the host's: a work directory or a
        // checkout under it would vanish from the job's sight.
        if decision.sharedMemory == .private {
            let hidden = [(ConfigKey.workDir, workDirectory), (.cacheDir, checkout)].filter {
                Path.isInside(Self.canonicalAncestry($0.1), directory: "/dev/shm")
            }
            if let (key, path) = hidden.first {
                throw JobError(
                    .configError,
                    "\(key) puts \(path) under /dev/shm, which the job gets as a private tmpfs of its own "
                        + "(\(ConfigKey.sandboxShm)), so the script would not see it; put \(key) on another file system.",
                    rule: .key(key))
            }
        }
        // What the script must never see, even under a read or write path:
        // the agent's folders, its configuration, its secrets and credentials.
        var excluded = [configuration.cacheDirectory, configuration.outputDirectory, configuration.workDirectory]
        excluded += configuration.secrets.directories + [configuration.secrets.filesDirectory]
        excluded += [configuration.source.tokenFile, configuration.source.sshKeyFile, configuration.report.tokenFile]
            .compactMap { $0 }
        if let configurationFile { excluded.append(configurationFile) }
        var rules = LandlockRules.make(
            readPaths: settings.readPaths.map(Self.canonical), writePaths: settings.writePaths.map(Self.canonical),
            readOnly: [checkout], writable: [workDirectory], excluded: excluded.map(Self.canonical),
            entries: LandlockRules.directoryEntries)
        // The container's own /dev/shm (a private one gets its rule from the init that mounts it).
        if decision.sharedMemory == .container { rules.append(LandlockRule("/dev/shm", .sharedMemory)) }
        return SandboxPlan(
            decision: decision, rules: rules, limits: policy.limits.effective(), sharedMemoryBytes: settings.shmBytes)
    }

    /// The sandbox as `result.json` reports it.
    static func report(_ sandbox: SandboxPlan, user: RunUser) -> JobResult.Sandbox {
        let limits = sandbox.limits
        return JobResult.Sandbox(
            uid: user.uid, gid: user.gid, groups: user.groups, noNewPrivs: true,
            landlock: .init(
                abi: sandbox.landlockABI, enforced: sandbox.landlockABI > 0, tcp: sandbox.landlockDeniesTCP,
                scoped: sandbox.landlockScopes),
            network: sandbox.network.rawValue, seccomp: sandbox.seccomp, sockets: sandbox.sockets.rawValue,
            rlimits: .init(
                cpuSeconds: limits.cpuSeconds, memoryBytes: limits.memoryBytes, processes: limits.processes,
                openFiles: limits.openFiles, fileBytes: limits.fileBytes),
            containment: sandbox.containment.rawValue, userNamespace: sandbox.userNamespace,
            sharedMemory: sandbox.sharedMemory.rawValue)
    }

    private static func whyUnavailable(_ layer: SandboxLayer, host: SandboxHost, uid: UInt32) -> String {
        switch layer {
        case .landlock: "the kernel or the container's seccomp profile offers no Landlock"
        case .seccomp: "seccomp filters are unavailable"
        case .network:
            "seccomp filters are unavailable, so socket(2) cannot be refused (a network namespace or Landlock would leave "
                + "unix sockets, and Landlock UDP, reachable)"
        case .user: "the script would run as uid \(uid) (set \(ConfigKey.runUser), and run the agent as root to switch)"
        case .containment:
            host.isRoot
                ? "no PID namespace may be created (the container lacks CAP_SYS_ADMIN or its seccomp profile refuses it) and the agent is not PID 1 of its own PID namespace"
                : "no user and PID namespaces may be created (the host or the container's seccomp profile refuses unprivileged user namespaces) and the agent is not PID 1 of its own PID namespace"
        }
    }

    /// The real path when it exists (Landlock rules and exclusions must
    /// compare alike), else the path as written.
    private static func canonical(_ path: String) -> String {
        (try? FileSystem.realPath(path)) ?? path
    }

    /// Where `path` will be once made: the real path of its nearest existing
    /// ancestor with the rest appended (the job's work directory does not
    /// exist yet when its sandbox is planned, but a link above it does).
    static func canonicalAncestry(_ path: String) -> String {
        var existing = path
        var rest: [String] = []
        while existing != "/", !existing.isEmpty {
            if let resolved = try? FileSystem.realPath(existing) {
                return rest.reversed().reduce(resolved) { Path.join($0, $1) }
            }
            rest.append(Path.lastComponent(of: existing))
            existing = Path.parent(of: existing)
        }
        return path
    }
}
