/// Everything needed to start one job's process, decided before launch.
///
/// ```swift
/// let plan = LaunchPlan(
///     executable: "/bin/sh",
///     arguments: ["sh", "/work/job/script.sh"],
///     environment: ["PATH": "/usr/bin:/bin", "HOME": "/home/runner"],
///     workingDirectory: "/work/job",
///     user: try RunUser.lookup("10001:10001"),
///     timeout: .seconds(3600)
/// )
/// ```
package struct LaunchPlan: Sendable, Equatable {
    /// The absolute path given to `execve` (no `PATH` search).
    package var executable: String
    /// The whole argv, `argv[0]` included; must not be empty.
    package var arguments: [String]
    /// The job's entire environment; nothing of the agent's is inherited.
    package var environment: [String: String]
    /// The directory the job starts in.
    package var workingDirectory: String
    /// Who the job runs as; `nil` keeps the agent's own identity.
    package var user: RunUser?
    /// How long the job may run before it is stopped (`SIGTERM` to its group).
    package var timeout: Duration
    /// How long after `SIGTERM` the group gets `SIGKILL`.
    package var killGrace: Duration
    /// Rlimits, Landlock, seccomp and network isolation for the child; nil
    /// applies only the hygiene every launch gets (session, fds, core 0,
    /// no_new_privs).
    package var sandbox: SandboxPlan?
    /// How the job's processes are stopped and known to be gone (see
    /// ``Containment``). Anything but ``Containment/processGroup`` and
    /// ``Containment/pidNamespace`` treats every child of the agent outside
    /// its own session as the job's: only for the `sf-agent` binary, never
    /// for a library caller with children of its own elsewhere.
    package var containment: Containment

    package init(
        executable: String,
        arguments: [String],
        environment: [String: String],
        workingDirectory: String,
        user: RunUser? = nil,
        timeout: Duration,
        killGrace: Duration = .seconds(5),
        sandbox: SandboxPlan? = nil,
        containment: Containment = .processGroup
    ) {
        self.sandbox = sandbox
        self.containment = containment
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.timeout = timeout
        self.killGrace = killGrace
    }
}
