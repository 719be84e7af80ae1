/// The sandbox a launch applies in the child, decided before `fork`.
///
/// ```swift
/// let sandbox = SandboxPlan(decision: decision, rules: rules, limits: policy.limits.effective())
/// var plan = LaunchPlan(...); plan.sandbox = sandbox
/// ```
public struct SandboxPlan: Sendable, Equatable {
    /// Landlock ABI to build the ruleset for; 0 applies no Landlock.
    public var landlockABI: Int
    /// The Landlock rules (ignored when ``landlockABI`` is 0).
    public var rules: [LandlockRule]
    /// `namespace`: `unshare(CLONE_NEWNET)` in the child (and Landlock TCP
    /// rules too when the ABI has them); `landlock`: TCP rules only.
    public var network: NetworkIsolation
    /// Install the seccomp filter.
    public var seccomp: Bool
    /// The limits the child sets (already ``ResourceLimits/effective(ceiling:)``).
    public var limits: ResourceLimits
    /// How the job's processes are held together (the launch plan's
    /// ``LaunchPlan/containment``).
    public var containment: Containment
    /// The namespaces are made inside a user namespace (a non-root agent's
    /// PID namespace).
    public var userNamespace: Bool

    public init(
        landlockABI: Int, rules: [LandlockRule], network: NetworkIsolation, seccomp: Bool, limits: ResourceLimits,
        containment: Containment = .processWalk, userNamespace: Bool = false
    ) {
        self.landlockABI = landlockABI
        self.rules = rules
        self.network = network
        self.seccomp = seccomp
        self.limits = limits
        self.containment = containment
        self.userNamespace = userNamespace
    }

    /// TCP is denied by Landlock rules.
    public var landlockDeniesTCP: Bool { landlockABI >= 4 && network != .host }
    /// Signals and abstract unix sockets are scoped to the job (ABI 6).
    public var landlockScopes: Bool { landlockABI >= 6 }
}
