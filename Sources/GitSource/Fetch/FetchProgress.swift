import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// Progress of a long fetch on stderr (see ``ProgressMeter``): objects,
/// bytes and rate, at most about once a second, starting after the first
/// second; a live line with a bar when stderr is a terminal, plain lines otherwise.
final class FetchProgress {
    private let start = ContinuousClock.now
    private var meter = ProgressMeter(live: system_isatty(2) == 1)
    private var last = ProgressMeter.Counts()

    func update(_ counts: ProgressMeter.Counts) {
        last = counts
        if let text = meter.update(counts, at: ContinuousClock.now - start) { Self.write(text) }
    }

    /// Ends the display (only if a line was shown): `done`, or `stopped` when the fetch failed.
    func finish(succeeded: Bool) {
        if let text = meter.finish(last, at: ContinuousClock.now - start, succeeded: succeeded) { Self.write(text) }
    }

    private static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { system_write(2, $0 + offset, buffer.count - offset) } ?? -1
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }  // Best effort: a closed stderr must not fail the fetch.
            offset += count
        }
    }
}
