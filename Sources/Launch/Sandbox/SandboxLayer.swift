/// A protection `sandbox.require` can demand; without it the job is refused.
package enum SandboxLayer: String, Sendable, CaseIterable, Comparable {
    /// Landlock restricts the file system (and, from ABI 4, TCP).
    case landlock
    /// The seccomp filter (TIOCSTI, TIOCLINUX, io_uring).
    case seccomp
    /// `sandbox.network = none` is enforced for every transport: the seccomp
    /// filter refuses `socket(2)` of every family but netlink (a namespace
    /// or Landlock TCP rules add to it).
    case network
    /// The script runs as a uid other than 0.
    case user
    /// The kernel holds the job as one unit that dies with it and with the
    /// agent: ``Containment/pidNamespace`` or ``Containment/containerInit``.
    case containment

    package static func < (lhs: SandboxLayer, rhs: SandboxLayer) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How the script's network is isolated, as reported. With
/// `sandbox.network = none` the seccomp filter also refuses sockets
/// (``SocketFamilies/netlinkOnly``) whatever this says.
package enum NetworkIsolation: String, Sendable, Equatable {
    /// A network namespace of its own: no interface but a loopback that is
    /// down, so no TCP, UDP or anything else, anywhere.
    case namespace
    /// Landlock denies TCP bind and connect.
    case landlock
    /// Only the seccomp filter's socket rule (no namespace, no Landlock TCP
    /// rules): still no socket to anywhere.
    case seccomp
    /// The host's network, unrestricted.
    case host
}

/// Which address families the script's `socket(2)` may create, as reported.
package enum SocketFamilies: String, Sendable, Equatable {
    /// Every family.
    case any
    /// `AF_NETLINK` only (it talks to the kernel; `getaddrinfo` uses it):
    /// unix (path-bound and abstract), inet, inet6, packet and every other
    /// family fail with EACCES. `socketpair(2)` still makes stream and
    /// seqpacket pairs (connected for good), not datagram pairs (which can
    /// `sendto` a path).
    case netlinkOnly = "netlink_only"
}

/// What the configuration allows for the job's `/dev/shm` (`sandbox.shm`).
package enum SharedMemoryRequest: String, Sendable, Equatable {
    /// A tmpfs of the job's own where a mount namespace can be made, else none.
    case auto
    /// As ``auto``, else the container's own `/dev/shm`: the operator vouches
    /// that it is (not the host's, not shared with other containers).
    case container
    /// None.
    case none
}

/// The job's `/dev/shm` (POSIX shared memory and semaphores: Python's
/// `multiprocessing`, Ansible), as reported.
package enum SharedMemory: String, Sendable, Equatable {
    /// A size-limited tmpfs of the job's own, in its mount namespace.
    case `private`
    /// The container's own `/dev/shm`, opened to the job by Landlock, as the
    /// operator allowed with `sandbox.shm = container` (the agent is the
    /// container's PID 1 in an IPC namespace other than the host's).
    case container
    /// None: `/dev/shm` is the host's or shared, and stays denied.
    case none
}
