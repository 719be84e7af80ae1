import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `git daemon` on 127.0.0.1 serving every repository under
/// `basePath` over git://, optionally behind a throttling proxy so that a
/// fetch takes long enough to show progress. For end-to-end tests.
package final class TestGitDaemon {
    private let state: String
    private let daemon: RunningCommand
    private var proxy: RunningCommand?
    /// The port clients use: the proxy's when throttled, else the daemon's.
    package private(set) var clientPort: UInt16

    /// Starts the daemon; with `bytesPerSecond`, also a proxy in front of it
    /// that sends the server's replies at about that rate. Waits (up to a
    /// minute) until both accept connections.
    package init(basePath: String, bytesPerSecond: Int? = nil) throws {
        state = try FixtureTools.temporaryDirectory("sf-gitd")
        let port = try Loopback.freePort()
        clientPort = port
        // git-daemon itself, not the `git` wrapper, so that stop() reaches it.
        daemon = try Command.start(
            "/usr/lib/git-core/git-daemon",
            [
                "--export-all", "--reuseaddr", "--informative-errors", "--base-path=\(basePath)",
                "--listen=127.0.0.1", "--port=\(port)", basePath,
            ],
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": "/dev/null",
            ],
            standardOutput: state + "/daemon.log", standardError: state + "/daemon.log")
        try daemon.waitUntilListening([port], log: state + "/daemon.log", name: "git daemon")
        guard let bytesPerSecond else { return }
        let proxyPort = try Loopback.freePort()
        try Self.proxyScript.write(toFile: state + "/proxy.py", atomically: true, encoding: .utf8)
        let started = try Command.start(
            "/usr/bin/python3", [state + "/proxy.py", String(proxyPort), String(port), String(bytesPerSecond)],
            environment: ["PATH": "/usr/bin:/bin"], standardOutput: state + "/proxy.log",
            standardError: state + "/proxy.log")
        proxy = started
        try started.waitUntilListening([proxyPort], log: state + "/proxy.log", name: "throttling proxy")
        clientPort = proxyPort
    }

    /// The git:// URL of `name` (a path under the base path).
    package func url(_ name: String) -> String { "git://127.0.0.1:\(clientPort)/\(name)" }

    /// Stops the daemon and the proxy (SIGKILL, reaped) and removes their folder.
    package func stop() {
        proxy?.stop()
        daemon.stop()
        FixtureTools.removeTree(state)
    }

    deinit { stop() }

    /// Relays each connection; the server's side at `rate` bytes a second.
    static let proxyScript = #"""
        import socket, sys, threading, time
        listen_port, target, rate = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
        def pump(source, sink, limit):
            try:
                while True:
                    data = source.recv(limit or 65536)
                    if not data: break
                    sink.sendall(data)
                    if limit: time.sleep(len(data) / rate)
            except OSError: pass
            for s in (source, sink):
                try: s.shutdown(socket.SHUT_RDWR)
                except OSError: pass
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", listen_port))
        listener.listen(16)
        while True:
            client, _ = listener.accept()
            server = socket.create_connection(("127.0.0.1", target))
            threading.Thread(target=pump, args=(client, server, 0), daemon=True).start()
            threading.Thread(target=pump, args=(server, client, max(1024, rate // 20)), daemon=True).start()
        """#
}
