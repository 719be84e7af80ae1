import AgentSystem
import TestSupport
import Testing

@testable import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// A capped log keeps its head and its tail, says how much is missing, and
/// keeps the tail on disk, not in memory.
@Suite struct CappedLogTests {
    func run(cap: Int?, writes: [[UInt8]]) throws -> (contents: [UInt8], summary: LogSummary, directory: [String]) {
        let scratch = try TemporaryDirectory("sf-capped")
        let directory = scratch.path
        let log = try CappedLog(path: directory + "/out.log", maximumBytes: cap)
        for chunk in writes { chunk.withUnsafeBytes { log.write($0) } }
        let summary = log.close()
        return (try FileSystem.readFile(directory + "/out.log"), summary, try FileSystem.directoryEntries(directory))
    }

    @Test func table() throws {
        let digits = Array("0123456789".utf8)
        let cases: [(cap: Int?, writes: [[UInt8]], kept: String, dropped: Int)] = [
            (nil, [digits, digits], "01234567890123456789", 0),
            (20, [digits, digits], "01234567890123456789", 0),
            (30, [digits], "0123456789", 0),
            (10, [digits, digits], "01234|56789", 10),
            (10, [Array("abc".utf8), digits, Array("xy".utf8)], "abc01|789xy", 5),
            (10, digits.map { [$0] } + digits.map { [$0] }, "01234|56789", 10),
            (4, [Array("abcdefghij".utf8)], "ab|ij", 6),
        ]
        for row in cases {
            let (contents, summary, entries) = try run(cap: row.cap, writes: row.writes)
            let text = String(decoding: contents, as: UTF8.self)
            let parts = row.kept.split(separator: "|", omittingEmptySubsequences: false)
            #expect(text.hasPrefix(String(parts[0])), "\(row)")
            #expect(text.hasSuffix(String(parts.last ?? "")), "\(row)")
            #expect(summary.droppedBytes == row.dropped, "\(row)")
            #expect(summary.bytes == row.writes.map(\.count).reduce(0, +))
            #expect(summary.truncated == (row.dropped > 0))
            if row.dropped > 0 {
                #expect(text.contains("[sf-agent: \(row.dropped) bytes dropped here"), "\(text)")
            } else {
                #expect(text == row.kept)
            }
            #expect(entries == ["out.log"], "the tail ring is removed")
        }
    }

    @Test func aFullDiskIsReportedNotHidden() throws {
        let scratch = try TemporaryDirectory("sf-capped")
        let directory = scratch.path
        let log = try CappedLog(path: directory + "/out.log", maximumBytes: nil)
        // Writing to /dev/full fails with ENOSPC: stand it in for a full disk.
        let full = open("/dev/full", O_WRONLY)
        #expect(full >= 0)
        #expect(dup2(full, log.descriptorForTesting) >= 0)
        close(full)
        Array("x".utf8).withUnsafeBytes { log.write($0) }
        let summary = log.close()
        #expect(summary.error?.errno == ENOSPC)
        #expect(summary.truncated)
    }

    /// The tail ring cannot be read back when the log closes (an I/O error,
    /// which no disk gives on demand): the summary names the ring, the head
    /// stays, and the ring is removed all the same.
    @Test func aFailedReadOfTheTailIsReported() throws {
        let scratch = try TemporaryDirectory("sf-capped")
        let directory = scratch.path
        let log = try CappedLog(path: directory + "/out.log", maximumBytes: 10)
        Array("0123456789abcdefghij".utf8).withUnsafeBytes { log.write($0) }

        let summary = MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EIO, on: ["pread"])
            return log.close()
        }

        #expect(summary.error == SystemError(operation: "read", path: directory + "/.out.log.tail", errno: EIO))
        #expect(summary.truncated)
        #expect(try FileSystem.readFile(directory + "/out.log").starts(with: Array("01234".utf8)))
        #expect(try FileSystem.directoryEntries(directory) == ["out.log"])
    }

    /// Interrupted writes of the tail ring are written again: nothing is lost.
    @Test func interruptedWritesOfTheTailAreRetried() throws {
        let scratch = try TemporaryDirectory("sf-capped")
        let directory = scratch.path
        let log = try CappedLog(path: directory + "/out.log", maximumBytes: 10)

        let ringWrites = MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EINTR, on: ["pwrite"], count: 2)
            Array("0123456789".utf8).withUnsafeBytes { log.write($0) }
            return driver.trace.filter { $0.name == "pwrite" }.count
        }
        let summary = log.close()

        #expect(ringWrites == 3)
        #expect(summary.error == nil)
        #expect(summary.droppedBytes == 0)
        #expect(try FileSystem.readFile(directory + "/out.log") == Array("0123456789".utf8))
    }
}

@Suite struct LineSplitterTests {
    @Test func table() {
        let cases: [(chunks: [String], lines: [String])] = [
            (["a\nb\n"], ["a\n", "b\n"]),
            (["a", "b", "\n"], ["ab\n"]),
            (["a\nb", "c\nd"], ["a\n", "bc\n", "d\n"]),
            (["\n\n"], ["\n", "\n"]),
            (["abcdefghij"], ["abcd\n", "efgh\n", "ij\n"]),
        ]
        for row in cases {
            var splitter = LineSplitter(maximumLine: 4)
            var lines: [String] = []
            for chunk in row.chunks {
                splitter.feed(Array(chunk.utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
            }
            splitter.flush { lines.append(String(decoding: $0, as: UTF8.self)) }
            #expect(lines == row.lines, "\(row.chunks)")
        }
    }

    /// The combined log's one-buffer path gives what prefixing each line of
    /// ``LineSplitter/feed(_:_:)`` gives, however the output is cut.
    @Test func stampMatchesLineByLine() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("ab\n".utf8)
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 0..<60, using: &random)).map { _ in
                alphabet.randomElement(using: &random) ?? 0x61
            }
            var chunks: [[UInt8]] = []
            var rest = text[...]
            while !rest.isEmpty {
                let size = Int.random(in: 1...max(1, rest.count), using: &random)
                chunks.append(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            var byLine = LineSplitter(maximumLine: 5)
            var stamped = LineSplitter(maximumLine: 5)
            var expected: [UInt8] = []
            var actual: [UInt8] = []
            for (index, chunk) in chunks.enumerated() {
                let prefix = Array("\(index)|".utf8)
                byLine.feed(chunk) { expected += prefix + Array($0) }
                actual += stamped.stamp(chunk, prefix: prefix)
            }
            byLine.flush { expected += Array($0) }
            stamped.flush { actual += Array($0) }
            #expect(actual == expected, "\(chunks)")
        }
    }

    @Test func countNewlines() {
        var random = SystemRandomNumberGenerator()
        for size in [0, 1, 31, 32, 33, 255 * 32, 254 * 32 + 5, 10_000, 70_000] {
            let bytes = (0..<size).map { _ in [0x0a, 0x61, 0x0b].randomElement(using: &random) ?? 0 }
            let expected = bytes.filter { $0 == 0x0a }.count
            #expect(bytes.withUnsafeBytes { LineSplitter.countNewlines($0) } == expected, "\(size)")
        }
        let all = [UInt8](repeating: 0x0a, count: 100_000)
        #expect(all.withUnsafeBytes { LineSplitter.countNewlines($0) } == 100_000)
    }

    @Test func liveFormats() {
        let time = "2026-11-29T12:00:00.000Z"
        let line = Array("say \"hi\"\t\u{1}\n".utf8)
        let text = { (format: LiveFormat, stream: OutputStreamKind) in
            String(decoding: format.render(line: line, stream: stream, time: time), as: UTF8.self)
        }
        #expect(text(.plain, .stdout) == "say \"hi\"\t\u{1}\n")
        #expect(text(.timestamped, .stderr) == "2026-11-29T12:00:00.000Z say \"hi\"\t\u{1}\n")
        #expect(
            text(.json, .stderr)
                == #"{"time":"2026-11-29T12:00:00.000Z","stream":"stderr","text":"say \"hi\"\t\u0001\n"}"# + "\n")
    }
}
