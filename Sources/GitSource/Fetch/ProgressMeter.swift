/// The decisions behind a fetch's progress display, as plain values:
/// whether a line is due and what it says. No clock and no I/O: the caller
/// passes the time elapsed since the fetch began and writes what it gets.
///
/// ```swift
/// var meter = ProgressMeter(live: false)
/// meter.update(counts, at: .milliseconds(400))   // nil: not before the first second
/// meter.update(counts, at: .milliseconds(1200))  // "sf-agent: fetching: 10/100 objects, …\n"
/// meter.update(counts, at: .milliseconds(1700))  // nil: at most one line a second
/// ```
struct ProgressMeter: Sendable {
    /// What libgit2 reports while a pack arrives.
    struct Counts: Sendable, Equatable {
        var received = 0
        var total = 0
        var bytes = 0
        var indexedDeltas = 0
        var totalDeltas = 0
    }

    /// Nothing is shown for fetches shorter than this, and lines come at most this often.
    static let interval: Duration = .seconds(1)
    static let barWidth = 20

    /// A terminal: one line redrawn in place with a bar. Otherwise plain lines.
    let live: Bool
    private var lastShown: (elapsed: Duration, bytes: Int)?

    init(live: Bool) {
        self.live = live
    }

    /// Whether any line was shown.
    var shown: Bool { lastShown != nil }

    /// The text to write for an update `elapsed` after the fetch began, or
    /// nil when it is too early or too soon after the last line.
    mutating func update(_ counts: Counts, at elapsed: Duration) -> String? {
        guard elapsed >= Self.interval else { return nil }
        let previous = lastShown ?? (.zero, 0)
        if lastShown != nil, elapsed - previous.elapsed < Self.interval { return nil }
        lastShown = (elapsed, counts.bytes)
        // The rate over the last interval, so a stall shows as a falling rate.
        let rate = Double(counts.bytes - previous.bytes) / Self.seconds(elapsed - previous.elapsed)
        return render(Self.text(counts, rate: rate, live: live), final: false)
    }

    /// The closing line, only when progress was shown: the average rate and
    /// `done`, or `stopped` when the fetch failed.
    mutating func finish(_ counts: Counts, at elapsed: Duration, succeeded: Bool) -> String? {
        guard shown else { return nil }
        var finalCounts = counts
        finalCounts.indexedDeltas = 0
        finalCounts.totalDeltas = 0
        let rate = Double(counts.bytes) / Self.seconds(elapsed)
        return render(
            Self.text(finalCounts, rate: rate, live: live) + (succeeded ? ", done" : ", stopped"), final: true)
    }

    /// `sf-agent: fetching: 120/4000 objects, 1.5 MiB, 750.0 KiB/s, deltas 3/90 [#...]`.
    static func text(_ counts: Counts, rate: Double, live: Bool) -> String {
        var text =
            "sf-agent: fetching: \(counts.received)/\(counts.total) objects, \(bytes(Double(counts.bytes))), \(bytes(max(0, rate)))/s"
        if counts.totalDeltas > 0 { text += ", deltas \(counts.indexedDeltas)/\(counts.totalDeltas)" }
        if live && counts.total > 0 {
            let filled = min(barWidth, max(0, counts.received * barWidth / counts.total))
            text +=
                " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]"
        }
        return text
    }

    /// On a terminal the line is redrawn in place (carriage return, erase
    /// to end of line) and ends only when the fetch does; otherwise each is a line.
    private func render(_ text: String, final: Bool) -> String {
        live ? "\r\u{1B}[K" + text + (final ? "\n" : "") : text + "\n"
    }

    /// `512 B`, `1.5 KiB`, `20.0 MiB`, `1.2 GiB`.
    static func bytes(_ value: Double) -> String {
        let gib = 1_073_741_824.0
        let mib = 1_048_576.0
        let kib = 1024.0
        if value >= gib { return oneDecimal(value / gib) + " GiB" }
        if value >= mib { return oneDecimal(value / mib) + " MiB" }
        if value >= kib { return oneDecimal(value / kib) + " KiB" }
        return "\(Int(value)) B"
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func seconds(_ duration: Duration) -> Double {
        max(0.001, Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
