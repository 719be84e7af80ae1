/// Where the supervisor sends a job's output, chunk by chunk, as it is read.
///
/// A stage such as secret masking can sit in front of ``JobOutput`` by
/// conforming to this protocol and forwarding to the next sink:
///
/// ```swift
/// final class Masker<Next: OutputSink>: OutputSink {
///     let next: Next
///     init(next: Next) { self.next = next }
///     func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind) {
///         next.write(chunk, to: stream)   // after masking
///     }
/// }
/// ```
///
/// Sinks are called on one thread, the supervisor's, and must not block for
/// long: while a sink runs, the job's pipes are not drained.
package protocol OutputSink {
    /// Takes one chunk of `stream`. The buffer is only valid during the call.
    func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind)
}
