/// How a job's output is kept and shown.
///
/// ```swift
/// let output = try JobOutput(logDirectory: folder, options: OutputOptions(format: .json, maximumLogBytes: 1 << 20))
/// ```
package struct OutputOptions: Sendable, Equatable {
    /// The live stream's look on the agent's stdout and stderr.
    package var format: LiveFormat
    /// Cap of each log file (head and tail kept); `nil` for none.
    package var maximumLogBytes: Int?
    /// Whether the output is copied to the agent's console at all.
    package var console: Bool

    package init(format: LiveFormat = .plain, maximumLogBytes: Int? = nil, console: Bool = true) {
        self.format = format
        self.maximumLogBytes = maximumLogBytes
        self.console = console
    }
}
