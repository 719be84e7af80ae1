/// What the configuration asks of the sandbox.
///
/// ```swift
/// let policy = SandboxPolicy(readPaths: ["/usr", "/etc"], denyNetwork: true, require: [.landlock])
/// let decision = policy.decide(host: SandboxHost.probe(wantsNetworkNamespace: true), scriptUID: 10001)
/// decision.missing   // [] when everything required can apply
/// ```
package struct SandboxPolicy: Sendable, Equatable {
    /// System paths the script may read and execute.
    package var readPaths: [String]
    /// `sandbox.network = none`.
    package var denyNetwork: Bool
    /// Layers that must apply, or the job is refused.
    package var require: Set<SandboxLayer>
    /// The resource limits.
    package var limits: ResourceLimits
    /// Where the job's `/dev/shm` may come from.
    package var sharedMemory: SharedMemoryRequest

    package init(
        readPaths: [String], denyNetwork: Bool, require: Set<SandboxLayer> = [],
        limits: ResourceLimits = ResourceLimits(),
        sharedMemory: SharedMemoryRequest = .auto
    ) {
        self.readPaths = readPaths
        self.denyNetwork = denyNetwork
        self.require = require
        self.limits = limits
        self.sharedMemory = sharedMemory
    }

    /// The layers that will apply on `host` for a script running as
    /// `scriptUID`, and the required ones that cannot. Pure: the table in
    /// `SandboxPolicyTests` is its specification.
    package func decide(host: SandboxHost, scriptUID: UInt32) -> SandboxDecision {
        let landlockABI = host.landlockABI
        // The socket rule is what makes `none` hold for every transport:
        // a namespace leaves path-bound unix sockets, Landlock all but TCP.
        let sockets: SocketFamilies = denyNetwork && host.seccomp ? .netlinkOnly : .any
        let network: NetworkIsolation =
            !denyNetwork
            ? .host
            : host.networkNamespace
                ? .namespace
                : landlockABI >= 4
                    ? .landlock
                    : sockets == .netlinkOnly
                        ? .seccomp
                        : .host
        let containment: Containment =
            host.pidNamespace
            ? .pidNamespace
            : host.isContainerInit
                ? .containerInit
                : .processWalk
        let sharedMemory: SharedMemory =
            self.sharedMemory == .none
            ? .none
            : containment == .pidNamespace && host.privateSharedMemory
                ? .private
                : self.sharedMemory == .container && containment == .containerInit && host.containerSharedMemory
                    ? .container
                    : .none
        var applied: Set<SandboxLayer> = []
        if landlockABI >= 1 { applied.insert(.landlock) }
        if host.seccomp { applied.insert(.seccomp) }
        if sockets == .netlinkOnly { applied.insert(.network) }
        if scriptUID != 0 { applied.insert(.user) }
        if containment.isKernelEnforced { applied.insert(.containment) }
        return SandboxDecision(
            landlockABI: landlockABI, network: network, seccomp: host.seccomp, sockets: sockets,
            containment: containment, userNamespace: containment == .pidNamespace && !host.isRoot,
            sharedMemory: sharedMemory,
            missing: require.subtracting(applied).sorted())
    }
}

/// What ``SandboxPolicy/decide(host:scriptUID:)`` found.
package struct SandboxDecision: Sendable, Equatable {
    /// The Landlock ABI that will be used, 0 for none.
    package var landlockABI: Int
    package var network: NetworkIsolation
    package var seccomp: Bool
    /// What `socket(2)` may create: ``SocketFamilies/netlinkOnly`` with
    /// `sandbox.network = none` and seccomp.
    package var sockets: SocketFamilies
    /// How the job's processes are held together.
    package var containment: Containment
    /// The namespaces are made inside a user namespace (a non-root agent).
    package var userNamespace: Bool
    /// The job's `/dev/shm`.
    package var sharedMemory: SharedMemory
    /// Required layers that cannot apply: the job must be refused.
    package var missing: [SandboxLayer]

    package init(
        landlockABI: Int, network: NetworkIsolation, seccomp: Bool, sockets: SocketFamilies,
        containment: Containment = .processWalk, userNamespace: Bool = false, sharedMemory: SharedMemory = .none,
        missing: [SandboxLayer]
    ) {
        self.sharedMemory = sharedMemory
        self.landlockABI = landlockABI
        self.network = network
        self.seccomp = seccomp
        self.sockets = sockets
        self.containment = containment
        self.userNamespace = userNamespace
        self.missing = missing
    }
}
