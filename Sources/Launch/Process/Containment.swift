/// How a job's processes are held together, so that none of them outlives
/// the job: what stops them all and what proves they are gone.
///
/// ```swift
/// var plan = LaunchPlan(...)
/// plan.containment = .pidNamespace   // the kernel kills the whole job
/// ```
///
/// From the strongest: ``pidNamespace`` and ``containerInit`` hold the job
/// as one unit the kernel kills, also when the agent itself is killed;
/// ``processWalk`` finds the job through `/proc` and holds only while the
/// agent lives; ``processGroup`` stops only the job's process group.
package enum Containment: String, Sendable, Equatable, CaseIterable {
    /// The job runs in a PID namespace of its own (with a `/proc` of its
    /// own) under an init of the agent's: the init's end kills every
    /// process in the namespace, and the init dies with the agent
    /// (parent-death signal). A non-root agent makes it inside a user
    /// namespace that maps its own uid and gid to themselves.
    case pidNamespace = "pid_namespace"
    /// The agent is PID 1 of its PID namespace (a container's init) and
    /// every other process in it belongs to the job: `kill(-1, …)` stops
    /// them all at once, and the kernel kills them if the agent dies.
    case containerInit = "container_init"
    /// The agent, a child subreaper, walks its descendants through
    /// `/proc` and signals them until it has no child left. Nothing stops
    /// the job's processes if the agent itself is killed.
    case processWalk = "process_walk"
    /// Only the job's process group (a library caller whose other children
    /// must not be touched): daemons that called `setsid()` escape.
    case processGroup = "process_group"

    /// Whether the kernel holds the job as one unit that also dies with
    /// the agent (what `sandbox.require = containment` asks for).
    package var isKernelEnforced: Bool { self == .pidNamespace || self == .containerInit }
}
