import AgentSystem
import CAgentSupport

/// Every C string and array the child needs, prepared before `fork` so the
/// child allocates nothing. Freed when the launch is over.
final class SpawnMemory {
    private let plan: LaunchPlan
    private let path: UnsafeMutablePointer<CChar>
    private let directory: UnsafeMutablePointer<CChar>
    private var argv: [UnsafeMutablePointer<CChar>?]
    private var envp: [UnsafeMutablePointer<CChar>?]
    private let groups: [gid_t]
    private let limits: [sf_rlimit_setting]
    private let ruleset: LandlockRuleset?
    private let passwordFile: UnsafeMutablePointer<CChar>?

    /// Checks `plan` and copies it into C memory.
    init(_ plan: LaunchPlan) throws(LaunchError) {
        func refuse(_ reason: String) -> LaunchError {
            LaunchError(.invalidPlan, step: "plan", sentence: "Cannot run \(plan.executable): \(reason).")
        }
        guard plan.executable.hasPrefix("/") else { throw refuse("the executable path is not absolute") }
        guard !plan.arguments.isEmpty else { throw refuse("argv is empty (it must include argv[0])") }
        // `container_init` signals every process the agent may reach
        // (`kill(-1, …)`): only a container's PID 1 owns all of them.
        guard plan.containment != .containerInit || ProcessIdentity.processID == 1 else {
            throw refuse("container_init containment needs the agent to be the container's PID 1")
        }
        let strings =
            [plan.executable, plan.workingDirectory, plan.sandbox?.passwordFile ?? ""] + plan.arguments
            + plan.environment.flatMap { [$0.key, $0.value] }
        guard strings.allSatisfy({ !$0.utf8.contains(0) }) else { throw refuse("a string contains a NUL byte") }
        guard plan.environment.keys.allSatisfy({ !$0.isEmpty && !$0.contains("=") }) else {
            throw refuse("an environment variable name is empty or contains '='")
        }
        self.plan = plan
        self.path = Self.copy(plan.executable)
        self.directory = Self.copy(plan.workingDirectory)
        self.argv = plan.arguments.map { Self.copy($0) } + [nil]
        self.envp = plan.environment.sorted { $0.key < $1.key }.map { Self.copy("\($0.key)=\($0.value)") } + [nil]
        self.groups = plan.user?.groups ?? []
        self.passwordFile = plan.containment == .pidNamespace ? plan.sandbox?.passwordFile.map(Self.copy) : nil
        let sandbox = plan.sandbox
        self.limits = (sandbox?.limits.settings() ?? []).map {
            sf_rlimit_setting(resource: $0.resource, soft: $0.soft, hard: $0.hard)
        }
        if let sandbox, sandbox.landlockABI > 0 {
            self.ruleset = try LandlockRuleset(
                abi: sandbox.landlockABI, rules: sandbox.rules, denyTCP: sandbox.landlockDeniesTCP)
        } else {
            self.ruleset = nil
        }
    }

    deinit {
        path.deallocate()
        directory.deallocate()
        for pointer in argv { pointer?.deallocate() }
        for pointer in envp { pointer?.deallocate() }
        passwordFile?.deallocate()
    }

    /// The namespaces the child is made in: a PID namespace for
    /// ``Containment/pidNamespace`` (inside a user namespace when the agent
    /// is not root), a network namespace for ``NetworkIsolation/namespace``.
    var namespaces: Int32 {
        var bits: UInt32 = 0
        if plan.sandbox?.network == .namespace { bits |= SF_NAMESPACE_NETWORK.rawValue }
        if plan.containment == .pidNamespace {
            bits |= SF_NAMESPACE_PID.rawValue
            // The sandbox's decision; a plan without one decides by who the agent is.
            if plan.sandbox?.userNamespace ?? !ProcessIdentity.isRoot { bits |= SF_NAMESPACE_USER.rawValue }
            if plan.sandbox?.sharedMemory == .private { bits |= SF_NAMESPACE_SHM.rawValue }
        }
        return Int32(bitPattern: bits)
    }

    /// Forks and execs with the given descriptors as the child's 0, 1, 2.
    func spawn(stdin: Int32, stdout: Int32, stderr: Int32) -> Result<SpawnedJob, LaunchError> {
        var result = sf_spawn_result()
        let status = argv.withUnsafeBufferPointer { argv in
            envp.withUnsafeBufferPointer { envp in
                groups.withUnsafeBufferPointer { groups in
                    limits.withUnsafeBufferPointer { limits in
                        var request = sf_spawn_request()
                        request.path = UnsafePointer(path)
                        request.argv = argv.baseAddress
                        request.envp = envp.baseAddress
                        request.working_directory = UnsafePointer(directory)
                        request.stdin_fd = stdin
                        request.stdout_fd = stdout
                        request.stderr_fd = stderr
                        if let user = plan.user {
                            request.set_user = 1
                            request.uid = user.uid
                            request.gid = user.gid
                            request.ngroups = groups.count
                            request.groups = groups.baseAddress
                        }
                        request.rlimits = limits.baseAddress
                        request.nrlimits = limits.count
                        request.new_session = 1
                        request.namespaces = namespaces
                        request.landlock_ruleset_fd = ruleset?.descriptor ?? -1
                        request.landlock_proc_access = ruleset?.procAccess.rawValue ?? 0
                        request.shm_bytes = plan.sandbox?.sharedMemoryBytes ?? 0
                        request.passwd_file = UnsafePointer(passwordFile)
                        request.landlock_shm_access =
                            ruleset.map { LandlockAccess.sharedMemory.intersection($0.handled).rawValue } ?? 0
                        request.seccomp = plan.sandbox?.seccompFlags ?? 0
                        return sf_spawn(&request, &result)
                    }
                }
            }
        }
        guard status == 0 else { return .failure(.spawn(result.failure, plan: plan)) }
        return .success(SpawnedJob(pid: result.pid, statusDescriptor: result.status_fd >= 0 ? result.status_fd : nil))
    }

    /// An allocated copy of a string already checked to hold no NUL byte.
    private static func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        return pointer
    }
}
