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
public struct SandboxHost: Sendable, Equatable {
    /// The agent's effective uid is 0: it can switch users and create namespaces.
    public var isRoot: Bool
    /// The running kernel's Landlock ABI, 0 when Landlock is unavailable.
    public var landlockABI: Int
    /// A child may `unshare(CLONE_NEWNET)`.
    public var networkNamespace: Bool
    /// seccomp filters are available.
    public var seccomp: Bool

    public init(isRoot: Bool, landlockABI: Int, networkNamespace: Bool, seccomp: Bool) {
        self.isRoot = isRoot
        self.landlockABI = landlockABI
        self.networkNamespace = networkNamespace
        self.seccomp = seccomp
    }

    /// Probes the running system. The network namespace probe forks a
    /// short-lived child, so it runs only when `wantsNetworkNamespace`.
    public static func probe(wantsNetworkNamespace: Bool) -> SandboxHost {
        let isRoot = geteuid() == 0
        let abi = sf_landlock_abi()
        return SandboxHost(
            isRoot: isRoot,
            landlockABI: abi > 0 ? Int(abi) : 0,
            networkNamespace: wantsNetworkNamespace && isRoot && sf_probe_network_namespace() == 0,
            seccomp: sf_probe_seccomp() == 0)
    }
}
