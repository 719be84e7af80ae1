import Foundation

/// A real `git daemon` on 127.0.0.1 serving `basePath`, for git:// tests.
final class GitDaemon {
    let port: UInt16
    private let process: Process

    /// Starts the daemon on a free port and waits (up to a minute) until it accepts connections.
    init(basePath: String) throws {
        port = try Self.freePort()
        process = Process()
        // git-daemon itself, not the `git` wrapper, so that stop() reaches it.
        let execPath = try Shell.git("--exec-path", in: basePath)
        process.executableURL = URL(fileURLWithPath: execPath + "/git-daemon")
        process.arguments = [
            "--export-all", "--reuseaddr", "--informative-errors",
            "--base-path=\(basePath)", "--listen=127.0.0.1", "--port=\(port)", basePath,
        ]
        process.environment = Shell.environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !Self.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw Shell.Failure(command: process.arguments ?? [], status: -1, stderr: "git daemon did not start")
            }
            usleep(50_000)
        }
    }

    /// The git:// URL of `name` under the base path.
    func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    /// Stops the daemon and waits for it to exit. SIGKILL, because children
    /// started by Foundation's Process inherit a signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Shell.Failure(command: ["socket"], status: errno, stderr: "") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Shell.Failure(command: ["bind"], status: errno, stderr: "") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Shell.Failure(command: ["getsockname"], status: errno, stderr: "") }
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
