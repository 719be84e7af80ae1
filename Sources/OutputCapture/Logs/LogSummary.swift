import AgentSystem

/// What became of one log file: its size, how much was dropped to keep it
/// under `output.max_log_bytes`, and the write failure that stopped it, if any.
///
/// ```swift
/// LogSummary(file: "stdout.log", bytes: 1_073_741_824, droppedBytes: 1_072_693_248, error: nil).truncated   // true
/// ```
package struct LogSummary: Sendable, Equatable {
    /// The file name in the job's output folder.
    package var file: String
    /// Bytes the job wrote to this log (before any were dropped).
    package var bytes: Int
    /// Bytes left out between the kept head and tail.
    package var droppedBytes: Int
    /// Why the log stopped early (a full disk), if it did.
    package var error: SystemError?

    package init(file: String, bytes: Int, droppedBytes: Int, error: SystemError?) {
        self.file = file
        self.bytes = bytes
        self.droppedBytes = droppedBytes
        self.error = error
    }

    /// Whether the file lacks some of what was written.
    package var truncated: Bool { droppedBytes > 0 || error != nil }
}
