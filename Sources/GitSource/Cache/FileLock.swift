import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// An `flock(2)` on a lock file, released when the object goes away.
///
/// Locks belong to the open file, so they vanish with the process: a
/// crashed agent never leaves a cache locked. Lock files are never deleted
/// (deleting one while another process waits on it would split the lock).
///
/// ```swift
/// let lock = try FileLock.acquire(path, exclusive: true, timeout: .seconds(600))
/// // ... fetch ...
/// try lock.downgrade(timeout: .seconds(1))   // now shared
/// ```
package final class FileLock: Sendable {
    let fd: Int32
    /// The lock file.
    package let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { system_close(fd) }

    /// Why a lock could not be taken.
    enum Failure: Error {
        case timedOut
        /// The stop notice fired while waiting.
        case stopped
        case system(SystemError)
    }

    /// Opens (creating) `path` and locks it, polling until `timeout` or until `stop` fires.
    static func acquire(_ path: String, exclusive: Bool, timeout: Duration, stop: StopNotice = .never) throws(Failure)
        -> FileLock
    {
        let fd = system_open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .system(.last("open lock file", path: path)) }
        let lock = FileLock(fd: fd, path: path)
        try lock.relock(exclusive: exclusive, timeout: timeout, stop: stop)
        return lock
    }

    /// An exclusive lock if it is free right now; nil when anyone holds the file locked.
    static func attempt(path: String) throws(Failure) -> FileLock? {
        do throws(Failure) {
            return try acquire(path, exclusive: true, timeout: .zero)
        } catch {
            if case .timedOut = error { return nil }
            throw error
        }
    }

    /// Converts the lock (shared ⇄ exclusive). Not atomic: another process
    /// may take the lock in between, so re-check what it protects.
    ///
    /// Returns false, holding no lock, when `satisfied` turns true while
    /// waiting: what the lock was wanted for has been done by another holder,
    /// who may keep its shared lock for as long as its job runs. (A failed
    /// conversion has already dropped the old lock: Linux `flock` semantics.)
    @discardableResult
    func relock(
        exclusive: Bool, timeout: Duration, stop: StopNotice = .never, unlessMeanwhile satisfied: () -> Bool = { false }
    ) throws(Failure) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(5)
        while true {
            if system_flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 { return true }
            let error = currentErrno()
            if error == EINTR { continue }
            guard error == EWOULDBLOCK else { throw .system(SystemError(operation: "lock", path: path, errno: error)) }
            let now = ContinuousClock.now
            if now >= deadline { throw .timedOut }
            if satisfied() { return false }
            if stop.wait(upTo: min(pause, deadline - now)) { throw .stopped }
            pause = min(pause * 2, .milliseconds(100))
        }
    }
}
