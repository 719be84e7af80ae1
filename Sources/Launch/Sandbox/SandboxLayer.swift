/// A protection `sandbox.require` can demand; without it the job is refused.
public enum SandboxLayer: String, Sendable, CaseIterable, Comparable {
    /// Landlock restricts the file system (and, from ABI 4, TCP).
    case landlock
    /// The seccomp filter (TIOCSTI, TIOCLINUX).
    case seccomp
    /// `sandbox.network = none` is enforced: a namespace or Landlock TCP rules.
    case network
    /// The script runs as a uid other than 0.
    case user
    /// The kernel holds the job as one unit that dies with it and with the
    /// agent: ``Containment/pidNamespace`` or ``Containment/containerInit``.
    case containment

    public static func < (lhs: SandboxLayer, rhs: SandboxLayer) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How the script's network is isolated, as reported.
public enum NetworkIsolation: String, Sendable, Equatable {
    /// A network namespace of its own: no interface but a loopback that is
    /// down, so no TCP, UDP or anything else, anywhere.
    case namespace
    /// Landlock denies TCP bind and connect; UDP and other protocols pass.
    case landlock
    /// The host's network, unrestricted.
    case host
}
