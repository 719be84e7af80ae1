import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// What the kernel and the container let the agent apply, probed at launch
/// time (a Docker seccomp profile may block namespaces; a kernel may lack
/// Landlock; Kubernetes `runAsNonRoot` means no uid change).
///
/// ```swift
/// let host = SandboxHost.probe(wantsNetworkNamespace: true)
/// host.landlockABI   // 7 on these machines, 0 without Landlock
/// ```
package struct SandboxHost: Sendable, Equatable {
    /// The agent's effective uid is 0: it can switch users and create namespaces.
    package var isRoot: Bool
    /// The running kernel's Landlock ABI, 0 when Landlock is unavailable.
    package var landlockABI: Int
    /// A child may be started in a network namespace of its own (with the
    /// PID namespace when ``pidNamespace``, else by `unshare` as root).
    package var networkNamespace: Bool
    /// seccomp filters are available.
    package var seccomp: Bool
    /// A child may be started as the init of a PID namespace with a `/proc`
    /// of its own (as root directly; otherwise inside a user namespace).
    package var pidNamespace: Bool
    /// The agent is PID 1 of its PID namespace (a container's init).
    package var isContainerInit: Bool
    /// With ``pidNamespace``: a tmpfs may be mounted over `/dev/shm` in
    /// the job's mount namespace.
    package var privateSharedMemory: Bool
    /// The agent is PID 1 in an IPC namespace other than the host's, and
    /// `/dev/shm` is a tmpfs: the container's own (`--ipc=private`,
    /// the engines' default), used by nothing but this job.
    package var containerSharedMemory: Bool

    package init(
        isRoot: Bool, landlockABI: Int, networkNamespace: Bool, seccomp: Bool, pidNamespace: Bool = false,
        isContainerInit: Bool = false, privateSharedMemory: Bool? = nil, containerSharedMemory: Bool? = nil
    ) {
        self.privateSharedMemory = privateSharedMemory ?? pidNamespace
        self.containerSharedMemory = containerSharedMemory ?? isContainerInit
        self.isRoot = isRoot
        self.landlockABI = landlockABI
        self.networkNamespace = networkNamespace
        self.seccomp = seccomp
        self.pidNamespace = pidNamespace
        self.isContainerInit = isContainerInit
    }

    /// Probes the running system: each namespace probe clones a short-lived
    /// child into the namespaces a launch would use (and mounts its
    /// `/proc`), so it sees exactly what the kernel, the container's seccomp
    /// profile and its capabilities allow. The network probe runs only when
    /// `wantsNetworkNamespace`. Where the host allows them all (a root agent
    /// on a host, a privileged pod, a user-namespace sandbox), one probe of
    /// all the namespaces at once answers for each; only when it fails (a
    /// container without CAP_SYS_ADMIN: each probe then fails at once) is
    /// each tried on its own.
    package static func probe(wantsNetworkNamespace: Bool) -> SandboxHost {
        let isRoot = ProcessIdentity.isRoot
        let abi = sf_landlock_abi()
        var pidFlags = SF_NAMESPACE_PID.rawValue
        if !isRoot { pidFlags |= SF_NAMESPACE_USER.rawValue }
        let network = wantsNetworkNamespace ? SF_NAMESPACE_NETWORK.rawValue : 0
        let pidNamespace: Bool
        let networkNamespace: Bool
        let privateSharedMemory: Bool
        if probe(pidFlags | SF_NAMESPACE_SHM.rawValue | network) {
            (pidNamespace, networkNamespace, privateSharedMemory) = (true, wantsNetworkNamespace, true)
        } else {
            pidNamespace = probe(pidFlags)
            networkNamespace =
                wantsNetworkNamespace
                && (pidNamespace ? probe(pidFlags | network) : isRoot && probe(network))
            privateSharedMemory = pidNamespace && probe(pidFlags | SF_NAMESPACE_SHM.rawValue)
        }
        return SandboxHost(
            isRoot: isRoot,
            landlockABI: abi > 0 ? Int(abi) : 0,
            networkNamespace: networkNamespace,
            seccomp: sf_probe_seccomp() == 0,
            pidNamespace: pidNamespace,
            isContainerInit: ProcessIdentity.processID == 1,
            privateSharedMemory: privateSharedMemory,
            containerSharedMemory: ProcessIdentity.processID == 1 && sf_shared_memory_is_private_tmpfs() == 1)
    }

    private static func probe(_ namespaces: UInt32) -> Bool {
        sf_probe_namespaces(Int32(bitPattern: namespaces)) == 0
    }
}
