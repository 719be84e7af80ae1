import Launch
import Testing

/// What applies where, and when a job is refused: the decision as a table.
@Suite struct SandboxPolicyTests {
    static let rootHost = SandboxHost(
        isRoot: true, landlockABI: 7, networkNamespace: true, seccomp: true, pidNamespace: true)
    /// A non-root agent on a host with unprivileged user namespaces.
    static let userNamespaceHost = SandboxHost(
        isRoot: false, landlockABI: 7, networkNamespace: true, seccomp: true, pidNamespace: true)
    /// The usual container: no namespace may be made, the agent is PID 1.
    static let containerHost = SandboxHost(
        isRoot: true, landlockABI: 7, networkNamespace: false, seccomp: true, isContainerInit: true)
    static let restrictedHost = SandboxHost(isRoot: false, landlockABI: 7, networkNamespace: false, seccomp: true)
    static let oldKernel = SandboxHost(isRoot: true, landlockABI: 0, networkNamespace: false, seccomp: true)
    static let abi3NonRoot = SandboxHost(isRoot: false, landlockABI: 3, networkNamespace: false, seccomp: false)
    static let abi3NonRootSeccomp = SandboxHost(isRoot: false, landlockABI: 3, networkNamespace: false, seccomp: true)
    static let rootWithoutSeccomp = SandboxHost(isRoot: true, landlockABI: 7, networkNamespace: true, seccomp: false)

    func decide(
        _ host: SandboxHost, uid: UInt32 = 10001, network: Bool = false, require: Set<SandboxLayer> = [],
        sharedMemory: SharedMemoryRequest = .container
    ) -> SandboxDecision {
        SandboxPolicy(readPaths: [], denyNetwork: network, require: require, sharedMemory: sharedMemory)
            .decide(host: host, scriptUID: uid)
    }

    @Test func networkIsolationPrefersANamespace() {
        #expect(decide(Self.rootHost, network: true).network == .namespace)
        #expect(decide(Self.restrictedHost, network: true).network == .landlock)
        #expect(decide(Self.userNamespaceHost, network: true).network == .namespace)
        #expect(decide(Self.abi3NonRootSeccomp, network: true).network == .seccomp)
        #expect(decide(Self.abi3NonRoot, network: true).network == .host)
        #expect(decide(Self.rootHost, network: false).network == .host)
    }

    /// `none` refuses sockets with seccomp in both modes; the namespace and
    /// Landlock come on top. (host, sandbox.network = none, sockets, network layer applied)
    @Test func noNetworkRefusesSocketsWhereverSeccompIs() {
        let table: [(SandboxHost, Bool, SocketFamilies, Bool)] = [
            (Self.rootHost, true, .netlinkOnly, true),
            (Self.restrictedHost, true, .netlinkOnly, true),
            (Self.oldKernel, true, .netlinkOnly, true),
            (Self.abi3NonRootSeccomp, true, .netlinkOnly, true),
            (Self.abi3NonRoot, true, .any, false),
            (Self.rootWithoutSeccomp, true, .any, false),  // a namespace alone leaves path-bound unix sockets
            (Self.rootHost, false, .any, false),
            (Self.restrictedHost, false, .any, false),
        ]
        for (host, none, sockets, applied) in table {
            let decision = decide(host, network: none, require: [.network])
            #expect(decision.sockets == sockets, "\(host) none=\(none)")
            #expect(decision.missing.isEmpty == applied, "\(host) none=\(none)")
        }
    }

    @Test func theSeccompFlagsFollowThePlan() {
        func flags(seccomp: Bool, sockets: SocketFamilies) -> Int32 {
            SandboxPlan(
                landlockABI: 7, rules: [], network: .host, seccomp: seccomp, sockets: sockets, limits: ResourceLimits()
            )
            .seccompFlags
        }
        #expect(flags(seccomp: false, sockets: .any) == 0)
        #expect(flags(seccomp: false, sockets: .netlinkOnly) == 0, "no filter, no socket rule")
        #expect(flags(seccomp: true, sockets: .any) == 1)
        #expect(flags(seccomp: true, sockets: .netlinkOnly) == 3)
    }

    @Test func everythingAppliesOnARootHost() {
        #expect(
            decide(Self.rootHost, network: true, require: [.landlock, .seccomp, .network, .user, .containment]).missing
                == [])
    }

    @Test func containmentPrefersAPIDNamespaceThenTheContainersInit() {
        var hostIPC = Self.containerHost
        hostIPC.containerSharedMemory = false  // --ipc=host: /dev/shm is the host's
        // host → containment, user namespace, /dev/shm, whether `containment` can be required
        let table: [(SandboxHost, Containment, Bool, SharedMemory, Bool)] = [
            (Self.rootHost, .pidNamespace, false, .private, true),
            (Self.userNamespaceHost, .pidNamespace, true, .private, true),
            (Self.containerHost, .containerInit, false, .container, true),
            (hostIPC, .containerInit, false, .none, true),
            (Self.restrictedHost, .processWalk, false, .none, false),
            (Self.oldKernel, .processWalk, false, .none, false),
        ]
        for (host, containment, userNamespace, sharedMemory, contained) in table {
            let decision = decide(host, require: [.containment])
            #expect(decision.containment == containment, "\(host)")
            #expect(decision.userNamespace == userNamespace, "\(host)")
            #expect(decision.sharedMemory == sharedMemory, "\(host)")
            #expect(decision.missing == (contained ? [] : [.containment]), "\(host)")
        }
        // The container's /dev/shm only when the operator allows it (sandbox.shm = container).
        #expect(decide(Self.containerHost, sharedMemory: .auto).sharedMemory == .none)
        #expect(decide(Self.containerHost, sharedMemory: .none).sharedMemory == .none)
        #expect(decide(Self.rootHost, sharedMemory: .auto).sharedMemory == .private)
        #expect(decide(Self.rootHost, sharedMemory: .none).sharedMemory == .none)
        // A PID namespace wins over being PID 1 (it also gives the job a /proc of its own).
        var both = Self.containerHost
        both.pidNamespace = true
        #expect(decide(both).containment == .pidNamespace)
    }

    @Test func requiredLayersThatCannotApplyAreMissing() {
        #expect(decide(Self.oldKernel, require: [.landlock]).missing == [.landlock])
        #expect(decide(Self.rootWithoutSeccomp, network: true, require: [.network]).missing == [.network])
        #expect(
            decide(Self.abi3NonRoot, network: true, require: [.network, .seccomp]).missing == [.network, .seccomp])
        #expect(decide(Self.rootHost, uid: 0, require: [.user]).missing == [.user])
        #expect(decide(Self.restrictedHost, uid: 10001, require: [.user]).missing == [])
    }

    @Test func nothingRequiredIsNeverMissing() {
        for host in [Self.rootHost, Self.restrictedHost, Self.oldKernel, Self.abi3NonRoot] {
            #expect(decide(host, uid: 0, network: true).missing == [])
        }
    }

    @Test func theDecisionCarriesTheABIAndSeccomp() {
        let decision = decide(Self.abi3NonRoot)
        #expect(decision.landlockABI == 3)
        #expect(!decision.seccomp)
    }
}
