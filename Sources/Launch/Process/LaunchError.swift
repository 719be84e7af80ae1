#if canImport(Glibc)
import Glibc
#endif

/// Why a job could not be launched or supervised.
///
/// `description` is a full sentence naming what was being run and the
/// system call that failed:
///
/// ```swift
/// do { _ = try Supervisor.run(plan, output: output) } catch {
///     print(error)
///     // cannot switch to user 10001:10001 to run /bin/sh (setresuid): Operation not permitted
/// }
/// ```
package struct LaunchError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure. Codes can be added without breaking callers.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Storage: Hashable, Sendable {
            case invalidUser, invalidPlan, setupFailed, spawnFailed, supervisionFailed
        }

        private let storage: Storage

        private init(_ storage: Storage) { self.storage = storage }

        /// A user spec that is malformed or names no user.
        package static let invalidUser = Code(.invalidUser)
        /// A plan that cannot be run as written (relative path, empty argv, NUL byte).
        package static let invalidPlan = Code(.invalidPlan)
        /// The agent could not prepare the launch (pipes, `/dev/null`).
        package static let setupFailed = Code(.setupFailed)
        /// The child could not be started: fork, a setup step, or `execve`.
        package static let spawnFailed = Code(.spawnFailed)
        /// Watching the running job failed (poll, wait).
        package static let supervisionFailed = Code(.supervisionFailed)

        package var description: String {
            switch storage {
            case .invalidUser: "invalidUser"
            case .invalidPlan: "invalidPlan"
            case .setupFailed: "setupFailed"
            case .spawnFailed: "spawnFailed"
            case .supervisionFailed: "supervisionFailed"
            }
        }
    }

    /// The kind of failure.
    package var code: Code
    /// The system call or check that failed (`"execve"`, `"chdir"`, `"setresuid"`, …).
    package var step: String
    /// The `errno` it left, or 0 when there was none.
    package var errno: Int32
    /// The full sentence.
    package var description: String

    /// An error whose sentence is "cannot `action` (`step`): `strerror(errno)`".
    init(_ code: Code, cannot action: String, step: String, errno: Int32) {
        self.code = code
        self.step = step
        self.errno = errno
        let reason = errno == 0 ? "" : ": " + String(cString: strerror(errno))
        self.description = "cannot \(action) (\(step))\(reason)"
    }

    /// An error with a sentence of its own and no `errno`.
    init(_ code: Code, step: String, sentence: String) {
        self.code = code
        self.step = step
        self.errno = 0
        self.description = sentence
    }
}
