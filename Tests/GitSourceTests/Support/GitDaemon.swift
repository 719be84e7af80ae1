import Foundation
import TestSupport

/// A real `git daemon` on 127.0.0.1 serving `basePath`, for git:// tests.
final class GitDaemon {
    let port: UInt16
    private let process: Process

    /// Starts the daemon on a free port and waits (up to a minute) until it accepts connections.
    init(basePath: String) throws {
        port = try Loopback.freePort()
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
        while !Loopback.accepts(port) {
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
}
