import Foundation
import TestSupport
import Testing

/// `sandbox.network = none` against a TCP server and a UDP socket the test
/// opens on 127.0.0.1.
@Suite(.timeLimit(.minutes(10))) struct SandboxNetworkTests {
    /// A listening TCP socket and a bound UDP socket on 127.0.0.1 (the
    /// kernel completes TCP handshakes into the backlog: no accept needed).
    final class LocalServers {
        let tcp: Int32
        let udp: Int32
        let tcpPort: UInt16
        let udpPort: UInt16

        init() throws {
            (tcp, tcpPort) = try Loopback.bound(Int32(SOCK_STREAM.rawValue))
            listen(tcp, 16)
            (udp, udpPort) = try Loopback.bound(Int32(SOCK_DGRAM.rawValue))
        }

        deinit {
            close(tcp)
            close(udp)
        }
    }

    static let client = """
        import os, socket, sys
        tcp, udp = int(sys.argv[2]), int(sys.argv[4])
        out = open(os.path.join(os.environ["SF_ARTIFACTS_DIR"], "net.txt"), "w")
        try:
            socket.create_connection(("127.0.0.1", tcp), timeout=5).close(); print("tcp=ok", file=out)
        except OSError as e:
            print(f"tcp={type(e).__name__}", file=out)
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b"x", ("127.0.0.1", udp)); print("udp=ok", file=out)
        except OSError as e:
            print(f"udp={type(e).__name__}", file=out)
        """

    func attempt(network: String, launcher: [String] = [], prepare: (AgentWorld) throws -> Void = { _ in }) throws
        -> (tcp: String, udp: String, isolation: String?)
    {
        let servers = try LocalServers()
        let world = try AgentWorld()
        defer { world.remove() }
        try prepare(world)
        try world.commit(["net.py": Self.client])
        let jobID = "net-\(network)"
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "net", "PARAMETERS": #"{"tcp": \#(servers.tcpPort), "udp": \#(servers.udpPort)}"#],
            settings: ["sandbox.network": network], launcher: launcher)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult(jobID)
        let text = try String(contentsOfFile: try world.extractArtifacts(jobID) + "/net.txt", encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "=").last.map(String.init) ?? "" }
        return (lines.first ?? "", lines.dropFirst().first ?? "", try world.sandbox(jobID)["network"] as? String)
    }

    @Test func withTheHostNetworkBothReachTheServers() throws {
        let result = try attempt(network: "host")
        #expect(result.tcp == "ok" && result.udp == "ok", "the probes work: \(result)")
        #expect(result.isolation == "host")
    }

    @Test func aRootAgentGivesTheScriptANetworkNamespace() throws {
        let result = try attempt(network: "none")
        #expect(result.tcp != "ok", "\(result)")
        #expect(result.udp != "ok", "a namespace stops UDP too: \(result)")
        #expect(result.isolation == "namespace")
    }

    @Test func aNonRootAgentGetsANetworkNamespaceThroughAUserNamespace() throws {
        // This host allows unprivileged user namespaces.
        let result = try attempt(network: "none", launcher: AgentWorld.nonRootLauncher) { try $0.prepareForNonRootAgent() }
        #expect(result.tcp != "ok", "\(result)")
        #expect(result.udp != "ok", "a namespace stops UDP too: \(result)")
        #expect(result.isolation == "namespace")
    }

    @Test func aNonRootAgentWithoutNamespacesDeniesTCPWithLandlock() throws {
        let result = try attempt(network: "none", launcher: AgentWorld.nonRootLauncher + AgentWorld.withoutNamespaces) {
            try $0.prepareForNonRootAgent()
        }
        #expect(result.tcp == "PermissionError", "\(result)")
        #expect(result.isolation == "landlock")
    }
}
