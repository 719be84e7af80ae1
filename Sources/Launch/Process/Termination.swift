/// How a job's main process ended.
///
/// ```swift
/// switch outcome.termination {
/// case .exited(let code): print("exit \(code)")
/// case .signaled(let signal): print("killed by signal \(signal)")
/// }
/// ```
package enum Termination: Sendable, Equatable {
    /// It called `exit` (or returned from `main`) with this status, 0–255.
    case exited(Int32)
    /// A signal ended it (`SIGKILL` is 9, `SIGSEGV` 11).
    case signaled(Int32)

    /// Decodes a `waitpid` status.
    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }
}
