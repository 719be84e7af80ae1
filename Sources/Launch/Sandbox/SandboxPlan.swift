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

    public init(landlockABI: Int, rules: [LandlockRule], network: NetworkIsolation, seccomp: Bool, limits: ResourceLimits) {
        self.landlockABI = landlockABI
        self.rules = rules
        self.network = network
        self.seccomp = seccomp
        self.limits = limits
    }

    /// TCP is denied by Landlock rules.
    public var landlockDeniesTCP: Bool { landlockABI >= 4 && network != .host }
    /// Signals and abstract unix sockets are scoped to the job (ABI 6).
    public var landlockScopes: Bool { landlockABI >= 6 }
}
