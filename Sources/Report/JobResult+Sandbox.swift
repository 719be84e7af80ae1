extension JobResult {
    /// The protections the script actually ran under (`result.json`'s
    /// `sandbox`); nil when no script was launched.
    ///
    /// ```swift
    /// JobResult.Sandbox(uid: 10001, gid: 10001, groups: [10001], noNewPrivs: true,
    ///                   landlock: .init(abi: 7, enforced: true, tcp: false, scoped: true),
    ///                   network: "host", seccomp: true, sockets: "any", rlimits: .init(cpuSeconds: 3600, ...),
    ///                   containment: "pid_namespace", userNamespace: false, sharedMemory: "private")
    /// ```
    package struct Sandbox: Sendable, Equatable {
        package struct Landlock: Sendable, Equatable {
            /// The kernel's Landlock ABI, 0 when unavailable.
            package var abi: Int
            /// The ruleset was applied, handling every file-system right of `abi`.
            package var enforced: Bool
            /// TCP bind and connect are denied (ABI 4, `sandbox.network = none`).
            package var tcp: Bool
            /// Signals and abstract unix sockets are scoped to the job (ABI 6).
            package var scoped: Bool
            package init(abi: Int, enforced: Bool, tcp: Bool, scoped: Bool) {
                self.abi = abi
                self.enforced = enforced
                self.tcp = tcp
                self.scoped = scoped
            }
        }

        /// The limits that applied; nil is unlimited.
        package struct Rlimits: Sendable, Equatable {
            package var cpuSeconds: UInt64?
            package var memoryBytes: UInt64?
            package var processes: UInt64?
            package var openFiles: UInt64?
            package var fileBytes: UInt64?
            package init(
                cpuSeconds: UInt64?, memoryBytes: UInt64?, processes: UInt64?, openFiles: UInt64?, fileBytes: UInt64?
            ) {
                self.cpuSeconds = cpuSeconds
                self.memoryBytes = memoryBytes
                self.processes = processes
                self.openFiles = openFiles
                self.fileBytes = fileBytes
            }
        }

        package var uid: UInt32
        package var gid: UInt32
        package var groups: [UInt32]
        package var noNewPrivs: Bool
        package var landlock: Landlock
        /// `namespace`, `landlock`, `seccomp` or `host`.
        package var network: String
        package var seccomp: Bool
        /// The families `socket(2)` may create: `any`, or `netlink_only`
        /// (`sandbox.network = none`: the seccomp filter refuses the rest).
        package var sockets: String
        package var rlimits: Rlimits
        /// How the job's processes were held together: `pid_namespace`,
        /// `container_init` or `process_walk`.
        package var containment: String
        /// The namespaces were made inside a user namespace (a non-root agent).
        package var userNamespace: Bool
        /// The job's `/dev/shm`: `private` (a tmpfs of its own), `container`
        /// (the container's own) or `none` (denied).
        package var sharedMemory: String

        package init(
            uid: UInt32, gid: UInt32, groups: [UInt32], noNewPrivs: Bool, landlock: Landlock, network: String,
            seccomp: Bool, sockets: String, rlimits: Rlimits, containment: String, userNamespace: Bool,
            sharedMemory: String
        ) {
            self.sharedMemory = sharedMemory
            self.uid = uid
            self.gid = gid
            self.groups = groups
            self.noNewPrivs = noNewPrivs
            self.landlock = landlock
            self.network = network
            self.seccomp = seccomp
            self.sockets = sockets
            self.rlimits = rlimits
            self.containment = containment
            self.userNamespace = userNamespace
        }
    }
}

extension JobResult.Sandbox: Encodable {
    enum CodingKeys: String, CodingKey {
        case uid, gid, groups, noNewPrivs = "no_new_privs", landlock, network, seccomp, sockets, rlimits, containment
        case userNamespace = "user_namespace", sharedMemory = "shm"
    }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uid, forKey: .uid)
        try container.encode(gid, forKey: .gid)
        try container.encode(groups, forKey: .groups)
        try container.encode(noNewPrivs, forKey: .noNewPrivs)
        try container.encode(landlock, forKey: .landlock)
        try container.encode(network, forKey: .network)
        try container.encode(seccomp, forKey: .seccomp)
        try container.encode(sockets, forKey: .sockets)
        try container.encode(rlimits, forKey: .rlimits)
        try container.encode(containment, forKey: .containment)
        try container.encode(userNamespace, forKey: .userNamespace)
        try container.encode(sharedMemory, forKey: .sharedMemory)
    }
}

extension JobResult.Sandbox.Landlock: Encodable {
    enum CodingKeys: String, CodingKey { case abi, enforced, tcp, scoped }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(abi, forKey: .abi)
        try container.encode(enforced, forKey: .enforced)
        try container.encode(tcp, forKey: .tcp)
        try container.encode(scoped, forKey: .scoped)
    }
}

extension JobResult.Sandbox.Rlimits: Encodable {
    enum CodingKeys: String, CodingKey {
        case cpuSeconds = "cpu_seconds", memoryBytes = "memory_bytes", processes, openFiles = "open_files"
        case fileBytes = "file_bytes", coreBytes = "core_bytes"
    }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cpuSeconds, forKey: .cpuSeconds)
        try container.encode(memoryBytes, forKey: .memoryBytes)
        try container.encode(processes, forKey: .processes)
        try container.encode(openFiles, forKey: .openFiles)
        try container.encode(fileBytes, forKey: .fileBytes)
        try container.encode(0, forKey: .coreBytes)
    }
}
