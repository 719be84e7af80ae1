/// Which of a job's two output streams a chunk came from.
///
/// ```swift
/// output.write(chunk, to: .stderr)
/// ```
package enum OutputStreamKind: String, Sendable, CaseIterable {
    /// The job's standard output (its fd 1).
    case stdout
    /// The job's standard error (its fd 2).
    case stderr
}
