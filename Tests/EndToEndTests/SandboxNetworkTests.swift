import Foundation
import TestSupport
import Testing

/// `sandbox.network = none` against listeners the test opens: TCP and UDP on
/// 127.0.0.1, Unix sockets bound to 0777 paths under /tmp (stream, and
/// datagram as `/dev/log` is) and one bound to an abstract name. With `none`
/// the script cannot create any socket but a netlink one, nor a datagram
/// socket pair (whose end could `sendto` a path): nothing reaches a listener,
/// a stream `socketpair` still works. With `host` (the control) the marker
/// arrives. io_uring is refused either way.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SandboxNetworkTests {
    static let client = """
        import ctypes, errno, os, socket, sys
        a = dict(zip((k[2:] for k in sys.argv[1::2]), sys.argv[2::2]))
        marker = a["marker"].encode()
        out = open(os.path.join(os.environ["SF_ARTIFACTS_DIR"], "net.txt"), "w")
        def name(e):
            return errno.errorcode.get(e.errno, type(e).__name__) if e.errno else type(e).__name__
        def probe(label, family, kind, address, protocol=0):
            stage = "socket"
            try:
                s = socket.socket(family, kind, protocol)
                s.settimeout(5)
                if kind == socket.SOCK_DGRAM:
                    stage = "send"; s.sendto(marker, address)
                elif address is not None:
                    stage = "connect"; s.connect(address); stage = "send"; s.sendall(marker)
                s.close()
                result = "ok"
            except OSError as e:
                result = f"{stage}:{name(e)}"
            print(f"{label}={result}", file=out)
        probe("tcp", socket.AF_INET, socket.SOCK_STREAM, ("127.0.0.1", int(a["tcp"])))
        probe("udp", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", int(a["udp"])))
        probe("unix_path", socket.AF_UNIX, socket.SOCK_STREAM, a["unix"])
        probe("unix_abstract", socket.AF_UNIX, socket.SOCK_STREAM, "\\0" + a["abstract"])
        probe("netlink", socket.AF_NETLINK, socket.SOCK_RAW, None)
        stage = "socketpair"
        try:
            left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
            stage = "send"; left.sendto(marker, a["dgram"]); result = "ok"
        except OSError as e:
            result = f"{stage}:{name(e)}"
        print(f"unix_dgram_pair={result}", file=out)
        try:
            left, right = socket.socketpair(); left.sendall(b"x")
            print("socketpair=" + ("ok" if right.recv(1) == b"x" else "lost"), file=out)
        except OSError as e:
            print(f"socketpair={name(e)}", file=out)
        libc = ctypes.CDLL(None, use_errno=True)
        params = ctypes.create_string_buffer(120)  # struct io_uring_params
        fd = libc.syscall(425, 1, params)          # io_uring_setup, x86_64 and aarch64 alike
        print("io_uring_setup=" + ("ok" if fd >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")), file=out)
        """

    /// What the script saw (`tcp`, `udp`, `unix_path`, `unix_abstract`:
    /// `ok` or `<stage>:<errno>`; `netlink`, `socketpair`, `io_uring_setup`),
    /// what each listener received, and `result.json`'s `sandbox`.
    struct Attempt {
        var seen: [String: String]
        var received: [String: String]
        var sandbox: [String: Any]
        var landlockABI: Int { (sandbox["landlock"] as? [String: Any])?["abi"] as? Int ?? 0 }
    }

    static let marker = "sf-marker-7f3a"

    func attempt(network: String, nonRoot: Bool = false, launcher: [String] = []) throws -> Attempt {
        let world = try AgentWorld()
        defer { world.remove() }
        if nonRoot { try world.prepareForNonRootAgent() }
        let abstractName = "sf-e2e-" + UUID().uuidString.prefix(12)
        let listeners: [String: LocalListener] = [
            "tcp": try LocalListener(.tcp), "udp": try LocalListener(.udp),
            "unix_path": try LocalListener(.unixPath(world.root + "/listener.sock")),
            "unix_abstract": try LocalListener(.unixAbstract(abstractName)),
            "unix_dgram_pair": try LocalListener(.unixDatagramPath(world.root + "/dgram.sock")),
        ]
        try world.commit(["net.py": Self.client])
        let jobID = "net-\(network)"
        let parameters: [String: Any] = [
            "tcp": Int(listeners["tcp"]?.port ?? 0), "udp": Int(listeners["udp"]?.port ?? 0),
            "unix": world.root + "/listener.sock", "abstract": abstractName, "dgram": world.root + "/dgram.sock",
            "marker": Self.marker,
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: parameters), as: UTF8.self)
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "net", "PARAMETERS": json],
            settings: ["sandbox.network": network], launcher: (nonRoot ? AgentWorld.nonRootLauncher : []) + launcher)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult(jobID)
        let text = try String(contentsOfFile: try world.extractArtifacts(jobID) + "/net.txt", encoding: .utf8)
        var seen: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            seen[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return Attempt(seen: seen, received: listeners.mapValues { $0.received() }, sandbox: try world.sandbox(jobID))
    }

    /// With `none`: every transport refused at `socket(2)`, nothing arrives,
    /// netlink and `socketpair` still work.
    func expectNothingGetsOut(_ result: Attempt) {
        for transport in ["tcp", "udp", "unix_path", "unix_abstract"] {
            #expect(result.seen[transport] == "socket:EACCES", "\(transport) is refused at socket(2): \(result.seen)")
            #expect(result.received[transport] == "", "\(transport) listener got nothing: \(result.received)")
        }
        #expect(result.seen["unix_dgram_pair"] == "socketpair:EACCES", "\(result.seen)")
        #expect(result.received["unix_dgram_pair"] == "", "\(result.received)")
        #expect(result.seen["netlink"] == "ok", "netlink (getaddrinfo's) stays: \(result.seen)")
        #expect(result.seen["socketpair"] == "ok", "socketpair stays: \(result.seen)")
        #expect(result.seen["io_uring_setup"] == "ENOSYS", "\(result.seen)")
        #expect(result.sandbox["sockets"] as? String == "netlink_only")
    }

    /// With `host`: the marker reaches TCP, UDP and the path-bound socket.
    /// An abstract socket made outside the job stays out of reach where
    /// Landlock scopes them (ABI 6).
    func expectTheHostNetwork(_ result: Attempt) {
        for transport in ["tcp", "udp", "unix_path", "unix_dgram_pair"] {
            #expect(result.seen[transport] == "ok", "\(transport): \(result.seen)")
            #expect(result.received[transport] == Self.marker, "\(transport) listener: \(result.received)")
        }
        if result.landlockABI >= 6 {
            #expect(result.seen["unix_abstract"] == "connect:EPERM", "Landlock scopes abstract sockets: \(result.seen)")
        } else {
            #expect(result.received["unix_abstract"] == Self.marker, "\(result.seen) \(result.received)")
        }
        #expect(result.seen["socketpair"] == "ok")
        #expect(result.seen["io_uring_setup"] == "ENOSYS", "io_uring is refused whatever the network: \(result.seen)")
        #expect(result.sandbox["network"] as? String == "host")
        #expect(result.sandbox["sockets"] as? String == "any")
    }

    @Test func withTheHostNetworkARootAgentsScriptReachesTheListeners() throws {
        expectTheHostNetwork(try attempt(network: "host"))
    }

    @Test func withTheHostNetworkANonRootAgentsScriptReachesTheListeners() throws {
        expectTheHostNetwork(try attempt(network: "host", nonRoot: true))
    }

    @Test func aRootAgentsScriptWithNoNetworkReachesNoListener() throws {
        let result = try attempt(network: "none")
        expectNothingGetsOut(result)
        #expect(result.sandbox["network"] as? String == "namespace")
    }

    @Test func aNonRootAgentsScriptWithNoNetworkReachesNoListener() throws {
        // This host allows unprivileged user namespaces: a network namespace too.
        let result = try attempt(network: "none", nonRoot: true)
        expectNothingGetsOut(result)
        #expect(result.sandbox["network"] as? String == "namespace")
        #expect(result.sandbox["user_namespace"] as? Bool == true)
    }

    @Test func aNonRootAgentsScriptWithoutNamespacesReachesNoListener() throws {
        // As under a container's default seccomp profile: no namespace, Landlock and the socket rule.
        let result = try attempt(network: "none", nonRoot: true, launcher: AgentWorld.withoutNamespaces)
        expectNothingGetsOut(result)
        #expect(result.sandbox["network"] as? String == "landlock")
        #expect((result.sandbox["landlock"] as? [String: Any])?["tcp"] as? Bool == true)
    }
}
