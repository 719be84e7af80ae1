import Secrets

/// An ``OutputSink`` that masks secrets before the next sink sees a byte:
/// put it in front of ``JobOutput`` so that neither the console nor a log
/// ever holds a secret.
///
/// Each stream has its own ``MaskingStream``: a secret split across reads is
/// still masked, and only bytes that may begin a secret are held back.
/// Call ``finish()`` when the job's output has ended, before closing `next`.
///
/// ```swift
/// let logs = try JobOutput(logDirectory: folder)
/// let masked = MaskingOutput(masker: masker, next: logs)
/// _ = try Supervisor.run(plan, output: masked)
/// masked.finish()
/// logs.close()
/// ```
package final class MaskingOutput<Next: OutputSink>: OutputSink {
    /// The sink that receives masked output.
    package let next: Next
    private var streams: [OutputStreamKind: MaskingStream]
    private var buffer: [UInt8] = []
    private let passThrough: Bool

    /// Masks with `masker`'s secrets and forwards to `next`.
    package init(masker: SecretMasker, next: Next) {
        self.next = next
        self.streams = [.stdout: masker.makeStream(), .stderr: masker.makeStream()]
        self.passThrough = masker.isEmpty
        buffer.reserveCapacity(64 * 1024 + 64)
    }

    /// Masks `chunk` and forwards what can be emitted now.
    package func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind) {
        if passThrough { return next.write(chunk, to: stream) }
        buffer.removeAll(keepingCapacity: true)
        let direct = streams[stream]?.feed(passingThrough: chunk, into: &buffer) ?? 0
        if direct > 0 { next.write(UnsafeRawBufferPointer(rebasing: chunk[0..<direct]), to: stream) }
        forward(stream)
    }

    /// Forwards what each stream still holds (a partial match at the end of
    /// the output is ordinary text).
    package func finish() {
        for stream in OutputStreamKind.allCases {
            buffer.removeAll(keepingCapacity: true)
            streams[stream]?.finish(into: &buffer)
            forward(stream)
        }
    }

    private func forward(_ stream: OutputStreamKind) {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { next.write($0, to: stream) }
    }
}
