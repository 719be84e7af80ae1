/// The sandbox a launch applies in the child, decided before `fork`.
///
/// ```swift
/// let sandbox = SandboxPlan(decision: decision, rules: rules, limits: policy.limits.effective())
/// var plan = LaunchPlan(...); plan.sandbox = sandbox
/// ```
package struct SandboxPlan: Sendable, Equatable {
    /// Landlock ABI to build the ruleset for; 0 applies no Landlock.
    package var landlockABI: Int
    /// The Landlock rules (ignored when ``landlockABI`` is 0).
    package var rules: [LandlockRule]
    /// `namespace`: `unshare(CLONE_NEWNET)` in the child (and Landlock TCP
    /// rules too when the ABI has them); `landlock`: TCP rules only.
    package var network: NetworkIsolation
    /// Install the seccomp filter.
    package var seccomp: Bool
    /// `netlinkOnly`: the filter also refuses `socket(2)` of every other
    /// family and datagram `socketpair(2)` (`sandbox.network = none`; needs ``seccomp``).
    package var sockets: SocketFamilies
    /// The limits the child sets (already ``ResourceLimits/effective(ceiling:)``).
    package var limits: ResourceLimits
    /// How the job's processes are held together (the launch plan's
    /// ``LaunchPlan/containment``).
    package var containment: Containment
    /// The namespaces are made inside a user namespace (a non-root agent's
    /// PID namespace).
    package var userNamespace: Bool
    /// The job's `/dev/shm`: ``SharedMemory/private`` is a tmpfs of
    /// ``sharedMemoryBytes`` the init mounts; ``SharedMemory/container``
    /// needs a rule for `/dev/shm` among ``rules``.
    package var sharedMemory: SharedMemory
    /// The size of a private `/dev/shm`.
    package var sharedMemoryBytes: UInt64
    /// In a PID namespace: a file shown to the job as `/etc/passwd` (see
    /// ``PasswordView``); nil keeps the real one.
    package var passwordFile: String?

    package init(
        landlockABI: Int, rules: [LandlockRule], network: NetworkIsolation, seccomp: Bool,
        sockets: SocketFamilies, limits: ResourceLimits, containment: Containment = .processWalk,
        userNamespace: Bool = false, sharedMemory: SharedMemory = .none, sharedMemoryBytes: UInt64 = 64 << 20
    ) {
        self.sharedMemory = sharedMemory
        self.sharedMemoryBytes = sharedMemoryBytes
        self.landlockABI = landlockABI
        self.rules = rules
        self.network = network
        self.seccomp = seccomp
        self.sockets = seccomp ? sockets : .any
        self.limits = limits
        self.containment = containment
        self.userNamespace = userNamespace
    }

    /// The plan ``SandboxPolicy/decide(host:scriptUID:)`` chose, with its rules and limits.
    package init(
        decision: SandboxDecision, rules: [LandlockRule], limits: ResourceLimits, sharedMemoryBytes: UInt64 = 64 << 20
    ) {
        self.init(
            landlockABI: decision.landlockABI, rules: rules, network: decision.network, seccomp: decision.seccomp,
            sockets: decision.sockets, limits: limits, containment: decision.containment,
            userNamespace: decision.userNamespace, sharedMemory: decision.sharedMemory,
            sharedMemoryBytes: sharedMemoryBytes)
    }

    /// `sf_spawn_request.seccomp`: 0 for no filter, else bit 0 (the filter:
    /// architecture, x32, io_uring, TIOCSTI/TIOCLINUX) and bit 1 (refuse
    /// sockets but netlink), as `SF_SECCOMP_*` in `sandbox_internal.h`.
    package var seccompFlags: Int32 {
        guard seccomp else { return 0 }
        return 1 | (sockets == .netlinkOnly ? 2 : 0)
    }

    /// TCP is denied by Landlock rules.
    package var landlockDeniesTCP: Bool { landlockABI >= 4 && network != .host }
    /// Signals and abstract unix sockets are scoped to the job (ABI 6).
    package var landlockScopes: Bool { landlockABI >= 6 }
}
