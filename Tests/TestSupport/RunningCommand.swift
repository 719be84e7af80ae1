import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Command {
    /// Starts `executable` with `arguments` in the background and returns at
    /// once: stdin from /dev/null, stdout and stderr appended to the files
    /// `standardOutput` and `standardError` (/dev/null when nil; one file
    /// when both name it), `environment` (the test's own when nil).
    ///
    /// ```swift
    /// let server = try Command.start("/usr/sbin/lighttpd", ["-D", "-f", conf], standardOutput: log, standardError: log)
    /// try server.waitUntilListening([port], log: log, name: "lighttpd")
    /// server.stop()
    /// ```
    package static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        standardOutput: String? = nil, standardError: String? = nil
    ) throws -> RunningCommand {
        try RunningCommand(
            executable, arguments, environment: environment, standardOutput: standardOutput,
            standardError: standardError)
    }
}

/// A program ``Command/start(_:_:environment:standardOutput:standardError:)``
/// started in the background: a server, a racing helper, an agent a test
/// stops. Killed (SIGKILL) and reaped when the value goes away. Tests only.
///
/// Started with posix_spawn, not Foundation's `Process`: Foundation detects
/// a child's exit by a socket the child inherits; a daemon that closes its
/// inherited descriptors at start (sshd does) looks dead at once, and
/// Foundation's single monitor thread then blocks in `waitpid` on it,
/// stalling every later `Process` in the test. Here the test owns the pid
/// and reaps it. As with `Process`, the program leads a process group of its
/// own (a test may signal the group: `kill(-processIdentifier, SIGINT)`) and
/// inherits no descriptor besides 0, 1 and 2; its signal mask is empty.
package final class RunningCommand {
    package let processIdentifier: pid_t
    /// `waitpid`'s status once reaped.
    private var waitStatus: Int32?

    fileprivate init(
        _ executable: String, _ arguments: [String], environment: [String: String]?, standardOutput: String?,
        standardError: String?
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let appending = O_WRONLY | O_CREAT | O_APPEND
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput ?? "/dev/null", appending, 0o644)
        if standardError == standardOutput {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, standardError ?? "/dev/null", appending, 0o644)
        }
        // What posix_spawn_file_actions_addclosefrom_np would do (not visible to Swift):
        // close every other descriptor open now, as Foundation's Process does.
        for descriptor in Self.openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw FixtureFailure("cannot start \(executable): errno \(code)") }
        processIdentifier = pid
    }

    deinit { stop() }

    /// Whether the program has not exited yet (reaps it if it has).
    package var isRunning: Bool {
        guard waitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(processIdentifier, &status, WNOHANG) == processIdentifier { waitStatus = status }
        return waitStatus == nil
    }

    /// Its exit status, or the number of the signal that ended it (as
    /// Foundation's `terminationStatus`); only after ``waitUntilExit()``.
    package var terminationStatus: Int32 {
        guard let waitStatus else { preconditionFailure("\(processIdentifier) has not been waited for") }
        let signal = waitStatus & 0x7f
        return signal == 0 ? (waitStatus >> 8) & 0xff : signal
    }

    /// Sends SIGTERM (nothing once it has been reaped, so a reused pid is never hit).
    package func terminate() {
        if waitStatus == nil { kill(processIdentifier, SIGTERM) }
    }

    /// Blocks until it exits and reaps it.
    package func waitUntilExit() {
        guard waitStatus == nil else { return }
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) < 0 && errno == EINTR {}
        waitStatus = status
    }

    /// SIGKILL, then reap; nothing once it has been reaped.
    package func stop() {
        guard waitStatus == nil else { return }
        kill(processIdentifier, SIGKILL)
        waitUntilExit()
    }

    /// Waits (up to a minute) until every port on 127.0.0.1 (or `host`)
    /// accepts, else stops it and throws with the text of `log`.
    package func waitUntilListening(_ ports: [UInt16], host: UInt32 = 0x7f00_0001, log: String, name: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !ports.allSatisfy({ Loopback.accepts($0, host: host) }) {
            guard isRunning, Date() < deadline else {
                stop()
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw FixtureFailure("\(name) did not start listening on \(ports): \(text)")
            }
            usleep(20_000)
        }
    }

    /// The descriptors this process has open (/proc/self/fd).
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }
}
