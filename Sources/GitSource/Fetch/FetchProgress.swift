#if canImport(Glibc)
import Glibc
#endif

/// Progress of a long fetch on stderr: objects, bytes and rate, at most
/// about once a second, starting after the first second; a live line
/// (carriage returns) when stderr is a terminal, plain lines otherwise.
final class FetchProgress {
    private let start = ContinuousClock.now
    private var lastPrint: ContinuousClock.Instant?
    private let live = isatty(2) == 1
    private var printed = false

    func update(received: Int, total: Int, bytes: Int, indexedDeltas: Int, totalDeltas: Int) {
        let now = ContinuousClock.now
        guard now - start >= .seconds(1) else { return }
        if let lastPrint, now - lastPrint < .seconds(1) { return }
        lastPrint = now
        emit(line(received: received, total: total, bytes: bytes, indexedDeltas: indexedDeltas, totalDeltas: totalDeltas, now: now), final: false)
    }

    func finish(received: Int, total: Int, bytes: Int) {
        guard printed else { return }
        emit(line(received: received, total: total, bytes: bytes, indexedDeltas: 0, totalDeltas: 0, now: .now) + ", done", final: true)
    }

    private func line(received: Int, total: Int, bytes: Int, indexedDeltas: Int, totalDeltas: Int, now: ContinuousClock.Instant) -> String {
        let seconds = max(0.001, Double((now - start).components.attoseconds) / 1e18 + Double((now - start).components.seconds))
        var text = "sf-agent: fetching: \(received)/\(total) objects, \(Self.bytes(Double(bytes))), \(Self.bytes(Double(bytes) / seconds))/s"
        if totalDeltas > 0 { text += ", deltas \(indexedDeltas)/\(totalDeltas)" }
        if live && total > 0 {
            let filled = min(20, received * 20 / total)
            text += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
        }
        return text
    }

    private func emit(_ text: String, final: Bool) {
        printed = true
        let output = live ? "\r\u{1B}[K" + text + (final ? "\n" : "") : text + "\n"
        var bytes = Array(output.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func bytes(_ value: Double) -> String {
        let gib = 1_073_741_824.0, mib = 1_048_576.0, kib = 1024.0
        if value >= gib { return format1(value / gib) + " GiB" }
        if value >= mib { return format1(value / mib) + " MiB" }
        if value >= kib { return format1(value / kib) + " KiB" }
        return "\(Int(value)) B"
    }

    private static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
