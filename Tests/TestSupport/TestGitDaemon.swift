import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `git daemon` on 127.0.0.1 serving every repository under
/// `basePath` over git://, optionally behind a ``ThrottledProxy`` so that
/// a fetch takes long enough to show progress. For end-to-end tests.
public final class TestGitDaemon {
    public let port: UInt16
    private let process = Process()
    private var proxy: Process?
    private var proxyState: String?
    /// The port clients use: the proxy's when throttled, else the daemon's.
    public private(set) var clientPort: UInt16

    /// Starts the daemon; with `bytesPerSecond`, also a proxy that sends
    /// the server's replies at that rate. Waits (up to a minute) until both accept.
    public init(basePath: String, bytesPerSecond: Int? = nil) throws {
        port = try Self.freePort()
        clientPort = port
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["--exec-path"]
        let pipe = Pipe()
        git.standardOutput = pipe
        try git.run()
        let execPath = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        git.waitUntilExit()
        // git-daemon itself, not the `git` wrapper, so that stop() reaches it.
        process.executableURL = URL(fileURLWithPath: execPath + "/git-daemon")
        process.arguments = [
            "--export-all", "--reuseaddr", "--informative-errors",
            "--base-path=\(basePath)", "--listen=127.0.0.1", "--port=\(port)", basePath,
        ]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try Self.waitUntilAccepting(port, while: { self.process.isRunning }, else: stop)
        if let bytesPerSecond { try startProxy(bytesPerSecond) }
    }

    /// The git:// URL of `name` (a path under the base path).
    public func url(_ name: String) -> String { "git://127.0.0.1:\(clientPort)/\(name)" }

    /// Stops the daemon (and proxy) and waits for them. SIGKILL, because
    /// children started by Foundation's Process may block SIGTERM.
    public func stop() {
        for child in [process, proxy].compactMap({ $0 }) where child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        if let proxyState { try? FileManager.default.removeItem(atPath: proxyState) }
    }

    deinit { stop() }

    static let proxyScript = #"""
        import socket, sys, threading, time
        target, rate, port_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
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
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        with open(port_file + ".tmp", "w") as f: f.write(str(listener.getsockname()[1]))
        import os; os.rename(port_file + ".tmp", port_file)
        while True:
            client, _ = listener.accept()
            server = socket.create_connection(("127.0.0.1", target))
            threading.Thread(target=pump, args=(client, server, 0), daemon=True).start()
            threading.Thread(target=pump, args=(server, client, max(1024, rate // 20)), daemon=True).start()
        """#

    private func startProxy(_ bytesPerSecond: Int) throws {
        let state = "/tmp/sf-proxy-\(UUID().uuidString.prefix(8))"
        proxyState = state
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try Self.proxyScript.write(toFile: state + "/proxy.py", atomically: true, encoding: .utf8)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        child.arguments = [state + "/proxy.py", String(port), String(bytesPerSecond), state + "/port"]
        child.standardInput = FileHandle.nullDevice
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        proxy = child
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: state + "/port", encoding: .utf8), let number = UInt16(text) {
                clientPort = number
                return
            }
            guard child.isRunning else { break }
            usleep(20_000)
        }
        stop()
        throw CocoaError(.fileReadNoSuchFile)
    }

    private static func waitUntilAccepting(_ port: UInt16, while running: () -> Bool, else cleanUp: () -> Void) throws {
        let deadline = Date().addingTimeInterval(60)
        while !accepts(port) {
            guard running(), Date() < deadline else {
                cleanUp()
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "git daemon did not start on port \(port)"])
            }
            usleep(50_000)
        }
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard named else { throw POSIXError(.EADDRINUSE) }
        return UInt16(bigEndian: address.sin_port)
    }

    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }
}
