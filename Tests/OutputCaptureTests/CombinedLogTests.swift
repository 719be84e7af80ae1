import AgentSystem
import Secrets
import TestSupport
import Testing

@testable import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// combined.log written by its own thread: the same bytes, in the same
/// order, as written on the caller's thread; failures still reported;
/// secrets still masked before it sees them.
@Suite struct CombinedLogTests {
    /// What combined.log must hold, line by line, written plainly: each
    /// line completed by a chunk after that chunk's time and stream, a line
    /// longer than `maximumLine` cut with an added `\n`, unfinished lines
    /// ended at `closeTime`, stdout's first.
    static func expected(
        _ chunks: [(stream: OutputStreamKind, bytes: [UInt8], time: String)], closeTime: String,
        maximumLine: Int = 64 * 1024
    ) -> [UInt8] {
        var partial: [OutputStreamKind: [UInt8]] = [.stdout: [], .stderr: []]
        var out: [UInt8] = []
        func prefix(_ time: String, _ stream: OutputStreamKind) -> [UInt8] { Array("\(time) \(stream.rawValue) ".utf8) }
        for chunk in chunks {
            var line = partial[chunk.stream] ?? []
            for byte in chunk.bytes {
                line.append(byte)
                if byte == 0x0a {
                    out += prefix(chunk.time, chunk.stream) + line
                    line = []
                }
            }
            while line.count >= maximumLine {
                out += prefix(chunk.time, chunk.stream) + line[0..<maximumLine] + [0x0a]
                line.removeFirst(maximumLine)
            }
            partial[chunk.stream] = line
        }
        for stream in OutputStreamKind.allCases where !(partial[stream] ?? []).isEmpty {
            out += prefix(closeTime, stream) + (partial[stream] ?? []) + [0x0a]
        }
        return out
    }

    /// Many more chunks than blocks, of every size, both streams, lines
    /// across chunks, one longer than a line may be, one of empty lines: the file is exactly
    /// what writing them one by one gives, with each chunk's own time.
    @Test(arguments: [true, false])
    func keepsArrivalOrderAndEachChunksTime(threaded: Bool) throws {
        let scratch = try TemporaryDirectory("sf-combined")
        let directory = scratch.path
        var chunks: [(stream: OutputStreamKind, bytes: [UInt8], time: String)] = []
        let sizes = [1, 7, 100, 4096, 65_536, 3, 200_000, 17]
        for index in 0..<300 {
            let stream: OutputStreamKind = index % 3 == 0 ? .stderr : .stdout
            let size = sizes[index % sizes.count]
            // Lines of 40 to 80 bytes; chunk 6 (stderr) is one line of 200 000
            // bytes; chunk 10 is 500 000 bytes of lines of 0 or 1 byte (it
            // stamps to more than a block holds, so it goes in pieces).
            if index == 10 {
                chunks.append((stream, (0..<500_000).map { $0 % 3 == 0 ? UInt8(ascii: "x") : 0x0a }, "t\(index)"))
                continue
            }
            let bytes = (0..<size).map { offset -> UInt8 in
                if index != 6 && (offset + index) % (40 + index % 41) == 39 { return 0x0a }
                return UInt8(ascii: "a") + UInt8((index + offset) % 26)
            }
            chunks.append((stream, bytes, "t\(index)"))
        }
        let log = try CombinedLog(path: directory + "/combined.log", maximumBytes: nil, threaded: threaded)
        for chunk in chunks { chunk.bytes.withUnsafeBytes { log.write($0, from: chunk.stream, time: chunk.time) } }
        let summary = log.close(time: "end")
        let contents = try FileSystem.readFile(directory + "/combined.log")
        let want = Self.expected(chunks, closeTime: "end")
        #expect(contents.count == want.count)
        #expect(contents == want, "first difference at byte \(zip(contents, want).prefix { $0 == $1 }.count)")
        #expect(summary == LogSummary(file: "combined.log", bytes: want.count, droppedBytes: 0, error: nil))
        #expect(log.close(time: "again") == summary, "idempotent")
    }

    /// The cap applies to the stamped bytes, as for any log.
    @Test(arguments: [true, false])
    func isCappedLikeAnyLog(threaded: Bool) throws {
        let scratch = try TemporaryDirectory("sf-combined")
        let directory = scratch.path
        let log = try CombinedLog(path: directory + "/combined.log", maximumBytes: 1000, threaded: threaded)
        var chunks: [(stream: OutputStreamKind, bytes: [UInt8], time: String)] = []
        for index in 0..<200 { chunks.append((.stdout, Array("line \(index)\n".utf8), "t\(index)")) }
        for chunk in chunks { chunk.bytes.withUnsafeBytes { log.write($0, from: chunk.stream, time: chunk.time) } }
        let summary = log.close(time: "end")
        let want = Self.expected(chunks, closeTime: "end")
        let text = String(decoding: try FileSystem.readFile(directory + "/combined.log"), as: UTF8.self)
        #expect(summary.bytes == want.count)
        #expect(summary.droppedBytes == want.count - 1000)
        #expect(text.hasPrefix(String(decoding: want.prefix(500), as: UTF8.self)))
        #expect(text.hasSuffix(String(decoding: want.suffix(500), as: UTF8.self)))
        #expect(try FileSystem.directoryEntries(directory) == ["combined.log"], "the tail ring is removed")
    }

    /// A full disk under combined.log stops that log, is in its summary and
    /// in `logError`, leaves the stream's log whole, and never stalls the
    /// writer (more chunks than slots follow the failure).
    @Test(arguments: [true, false])
    func aFullDiskUnderTheCombinedLogIsReported(threaded: Bool) throws {
        let scratch = try TemporaryDirectory("sf-combined")
        let directory = scratch.path
        let output = try JobOutput(logDirectory: directory, consoleDescriptors: [:], threaded: threaded)
        // Writing to /dev/full fails with ENOSPC: stand it in for a full disk.
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        #expect(full >= 0)
        #expect(dup2(full, output.combinedDescriptorForTesting) >= 0)
        close(full)
        for index in 0..<(4 * CombinedLog.depth) {
            Array("line \(index)\n".utf8).withUnsafeBytes { output.write($0, to: .stdout) }
        }
        let summaries = output.close()
        #expect(summaries.map(\.file) == ["stdout.log", "stderr.log", "combined.log"])
        #expect(summaries[2].error?.errno == ENOSPC)
        #expect(summaries[2].truncated)
        #expect(output.logError?.errno == ENOSPC)
        #expect(summaries[0].error == nil)
        let lines = (0..<(4 * CombinedLog.depth)).map { "line \($0)\n" }.joined()
        #expect(try FileSystem.readFile(directory + "/stdout.log") == Array(lines.utf8))
    }

    /// A secret cut at every point across two reads is masked in both the
    /// stream's log and combined.log: the masker runs before the writer
    /// thread sees a byte.
    @Test func aSecretSplitAcrossReadsIsMaskedInEveryLog() throws {
        let secret = Array("hunter2-token-value".utf8)
        let masker = SecretMasker(values: [secret])
        let text = Array("before ".utf8) + secret + Array(" after\n".utf8)
        for cut in 0...text.count {
            let scratch = try TemporaryDirectory("sf-combined")
            let directory = scratch.path
            let output = try JobOutput(logDirectory: directory, consoleDescriptors: [:])
            let masked = MaskingOutput(masker: masker, next: output)
            text[..<cut].withUnsafeBytes { masked.write($0, to: .stdout) }
            text[cut...].withUnsafeBytes { masked.write($0, to: .stdout) }
            masked.finish()
            output.close()
            #expect(
                try FileSystem.readFile(directory + "/stdout.log") == Array("before *** after\n".utf8), "cut at \(cut)")
            let combined = String(decoding: try FileSystem.readFile(directory + "/combined.log"), as: UTF8.self)
            #expect(
                combined.hasSuffix(" stdout before *** after\n") && !combined.contains("hunter2"),
                "cut at \(cut): \(combined)")
        }
    }
}
