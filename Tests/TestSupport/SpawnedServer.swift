import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server process started with posix_spawn, not Foundation's `Process`.
///
/// Foundation detects a child's exit by a socket the child inherits; a
/// daemon that closes its inherited descriptors at start (sshd does) looks
/// dead at once, and Foundation's single monitor thread then blocks in
/// `waitpid` on it, stalling every later `Process` in the test. Here the
/// test owns the pid: ``stop()`` sends SIGKILL and reaps it.
package final class SpawnedServer {
    package let pid: pid_t
    private var reaped = false

    /// Starts `arguments[0]` (an absolute path) with stdin from /dev/null,
    /// stdout and stderr appended to `log`, and `environment`.
    package init(_ arguments: [String], log: String, environment: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { throw FixtureFailure("cannot start \(arguments[0]): errno \(code)") }
        self.pid = pid
    }

    /// Whether the process has not exited yet (reaps it if it has).
    package var isRunning: Bool {
        guard !reaped else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        return !reaped
    }

    /// Waits (up to a minute) until every port on 127.0.0.1 (or `host`) accepts, else stops and throws with `log`.
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

    /// SIGKILL, then reap.
    package func stop() {
        guard !reaped else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
    }

    deinit { stop() }
}
