import Testing

@testable import GitSource

/// The progress display's decisions as a pure function of the counts and
/// the time elapsed: nothing in the first second, then at most a line a
/// second, the rate over the last interval, a bar only on a terminal.
@Suite struct ProgressMeterTests {
    let counts = ProgressMeter.Counts(received: 50, total: 200, bytes: 3 << 20, indexedDeltas: 0, totalDeltas: 0)

    @Test func nothingInTheFirstSecondThenAtMostOneLineASecond() {
        var meter = ProgressMeter(live: false)
        #expect(meter.update(counts, at: .milliseconds(0)) == nil)
        #expect(meter.update(counts, at: .milliseconds(999)) == nil)
        #expect(!meter.shown)
        #expect(meter.update(counts, at: .milliseconds(1000)) != nil)
        #expect(meter.update(counts, at: .milliseconds(1500)) == nil)
        #expect(meter.update(counts, at: .milliseconds(1999)) == nil)
        #expect(meter.update(counts, at: .milliseconds(2000)) != nil)
        // A burst of callbacks within one second yields one line.
        let lines = (0..<1000).compactMap { meter.update(counts, at: .milliseconds(3000 + $0)) }
        #expect(lines.count == 1)
    }

    @Test func plainLinesGiveObjectsBytesAndTheRecentRate() {
        var meter = ProgressMeter(live: false)
        let first = meter.update(counts, at: .seconds(2))
        #expect(first == "sf-agent: fetching: 50/200 objects, 3.0 MiB, 1.5 MiB/s\n")
        var later = counts
        later.received = 120
        later.bytes = (3 << 20) + 512 * 1024
        later.indexedDeltas = 3
        later.totalDeltas = 90
        // 512 KiB in the last second, not the 1.2 MiB/s average.
        #expect(
            meter.update(later, at: .seconds(3))
                == "sf-agent: fetching: 120/200 objects, 3.5 MiB, 512.0 KiB/s, deltas 3/90\n")
        #expect(
            meter.finish(later, at: .seconds(4), succeeded: true)
                == "sf-agent: fetching: 120/200 objects, 3.5 MiB, 896.0 KiB/s, done\n")
    }

    @Test func aTerminalGetsOneLineRedrawnInPlaceWithABar() {
        var meter = ProgressMeter(live: true)
        let line = meter.update(counts, at: .seconds(1))
        #expect(line == "\r\u{1B}[Ksf-agent: fetching: 50/200 objects, 3.0 MiB, 3.0 MiB/s [#####...............]")
        let done = ProgressMeter.Counts(received: 200, total: 200, bytes: 4 << 20)
        #expect(
            meter.finish(done, at: .seconds(2), succeeded: true)
                == "\r\u{1B}[Ksf-agent: fetching: 200/200 objects, 4.0 MiB, 2.0 MiB/s [####################], done\n")
    }

    @Test func aShortFetchEndsSilentlyAndAFailedOneSaysStopped() {
        var quick = ProgressMeter(live: false)
        _ = quick.update(counts, at: .milliseconds(300))
        #expect(quick.finish(counts, at: .milliseconds(600), succeeded: true) == nil)
        var failed = ProgressMeter(live: false)
        _ = failed.update(counts, at: .seconds(1))
        #expect(failed.finish(counts, at: .seconds(2), succeeded: false)?.hasSuffix(", stopped\n") == true)
    }

    @Test func byteSizes() {
        #expect(ProgressMeter.bytes(0) == "0 B")
        #expect(ProgressMeter.bytes(1023) == "1023 B")
        #expect(ProgressMeter.bytes(1536) == "1.5 KiB")
        #expect(ProgressMeter.bytes(20 * 1_048_576) == "20.0 MiB")
        #expect(ProgressMeter.bytes(1.25 * 1_073_741_824) == "1.3 GiB")
        // A total of zero (not yet known) draws no bar and divides by nothing.
        let unknown = ProgressMeter.Counts(received: 5, total: 0, bytes: 100)
        #expect(!ProgressMeter.text(unknown, rate: 100, live: true).contains("["))
    }
}
