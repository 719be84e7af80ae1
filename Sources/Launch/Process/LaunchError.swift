import AgentSystem

/// Why a job could not be launched or supervised.
///
/// `description` is a full sentence naming what was being run and the
/// system call that failed:
///
/// ```swift
/// do { _ = try Supervisor.run(plan, output: output) } catch {
///     print(error)
///     // Cannot switch to user 10001:10001 to run /bin/sh (setresuid): Operation not permitted.
/// }
/// ```
package struct LaunchError: AgentError {
    /// The kind of failure.
    package enum Code: String, Sendable, CaseIterable {
        /// A user spec that is malformed or names no user.
        case invalidUser
        /// A plan that cannot be run as written (relative path, empty argv, NUL byte).
        case invalidPlan
        /// The agent could not prepare the launch (pipes, `/dev/null`).
        case setupFailed
        /// The child could not be started: fork, a setup step, or `execve`.
        case spawnFailed
        /// Watching the running job failed (poll, wait).
        case supervisionFailed
    }

    /// The kind of failure.
    package var code: Code
    /// The system call or check that failed (`"execve"`, `"chdir"`, `"setresuid"`, …).
    package var step: String
    /// The `errno` it left, or 0 when there was none.
    package var errno: Int32
    /// The full sentence.
    package var message: String

    /// An error whose sentence is "Cannot `action` (`step`): `strerror(errno)`."
    init(_ code: Code, cannot action: String, step: String, errno: Int32) {
        self.code = code
        self.step = step
        self.errno = errno
        let reason = errno == 0 ? "" : ": " + SystemError.reason(errno)
        self.message = "Cannot \(action) (\(step))\(reason)."
    }

    /// An error with a sentence of its own and no `errno`.
    init(_ code: Code, step: String, sentence: String) {
        self.code = code
        self.step = step
        self.errno = 0
        self.message = sentence
    }
}
