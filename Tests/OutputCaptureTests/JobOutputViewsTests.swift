import AgentSystem
import TestSupport
import Testing

@testable import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// combined.log, capped logs, live formats and a console that never reads.
@Suite struct JobOutputViewsTests {
    func text(_ path: String) throws -> String { String(decoding: try FileSystem.readFile(path), as: UTF8.self) }

    @Test func combinedLogInterleavesLinesInArrivalOrder() throws {
        let scratch = try TemporaryDirectory("sf-views")
        let directory = scratch.path
        let output = try JobOutput(logDirectory: directory, console: false)
        for (stream, piece) in [
            (OutputStreamKind.stdout, "out 1\nout "), (.stderr, "err 1\n"), (.stdout, "2\n"), (.stderr, "no newline"),
        ] {
            Array(piece.utf8).withUnsafeBytes { output.write($0, to: stream) }
        }
        let summaries = output.close()
        let lines = try text(directory + "/combined.log").split(separator: "\n").map {
            $0.split(separator: " ", maxSplits: 1)[1]
        }
        #expect(lines == ["stdout out 1", "stderr err 1", "stdout out 2", "stderr no newline"])
        let first = try text(directory + "/combined.log").prefix(24)
        #expect(first.count == 24 && first.hasSuffix("Z") && first.contains("T"), "RFC 3339 time first: \(first)")
        #expect(summaries.map(\.file) == ["stdout.log", "stderr.log", "combined.log"])
        #expect(try text(directory + "/stdout.log") == "out 1\nout 2\n", "the stream logs stay byte for byte")
    }

    @Test func cappedLogsKeepHeadAndTailAndSaySo() throws {
        let scratch = try TemporaryDirectory("sf-views")
        let directory = scratch.path
        let output = try JobOutput(
            logDirectory: directory, options: OutputOptions(maximumLogBytes: 4096, console: false))
        for index in 0..<1000 {
            Array("line \(index)\n".utf8).withUnsafeBytes { output.write($0, to: .stdout) }
        }
        let summaries = output.close()
        let log = try text(directory + "/stdout.log")
        #expect(log.hasPrefix("line 0\nline 1\n"))
        #expect(log.hasSuffix("line 998\nline 999\n"))
        #expect(log.contains("bytes dropped here"))
        #expect(summaries[0].droppedBytes > 0 && summaries[0].truncated)
        #expect(summaries[1].truncated == false, "nothing was written to stderr")
    }

    @Test(arguments: [LiveFormat.timestamped, .json])
    func liveFormatGoesToTheConsole(format: LiveFormat) throws {
        let scratch = try TemporaryDirectory("sf-views")
        let directory = scratch.path
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let output = try JobOutput(
            logDirectory: directory, options: OutputOptions(format: format),
            consoleDescriptors: [.stdout: ends[1], .stderr: ends[1]])
        Array("hello\n".utf8).withUnsafeBytes { output.write($0, to: .stderr) }
        output.close()
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        let shown = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        switch format {
        case .json:
            #expect(
                shown.hasPrefix("{\"time\":\"") && shown.hasSuffix("\",\"stream\":\"stderr\",\"text\":\"hello\\n\"}\n"),
                "\(shown)")
        default:
            #expect(shown.hasSuffix("Z hello\n") && shown.count == 24 + 1 + 6, "\(shown)")
        }
    }

    /// A console nobody reads must not stall the job: the logs get
    /// everything, the console copy skips with a note. Were a write to block
    /// on the full pipe, this test would never finish (the time limit).
    @Test(.timeLimit(.minutes(10))) func aConsoleThatNeverReadsDoesNotBlock() throws {
        let scratch = try TemporaryDirectory("sf-views")
        let directory = scratch.path
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let output = try JobOutput(logDirectory: directory, consoleDescriptors: [.stdout: ends[1]])
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
        // 8 MiB: far beyond the pipe (64 KiB) and the console buffer (4 MiB).
        for _ in 0..<128 { chunk.withUnsafeBytes { output.write($0, to: .stdout) } }
        output.close()
        #expect(output.bytesWritten[.stdout] == 8 << 20)
        var info = stat()
        #expect(stat(directory + "/stdout.log", &info) == 0 && info.st_size == 8 << 20, "the log has every byte")
    }
}

/// The console writer on its own: what fits is written, the rest waits up
/// to its capacity, beyond that it is dropped with a note once the reader
/// catches up.
@Suite struct ConsoleWriterTests {
    @Test(.timeLimit(.minutes(10))) func dropsBeyondItsCapacityAndSaysSo() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        #expect(fcntl(ends[1], 1031 /* F_SETPIPE_SZ */, 4096) >= 0)
        let console = ConsoleWriter(fd: ends[1], capacity: 8192)
        let chunk = [UInt8](repeating: UInt8(ascii: "y"), count: 4096)
        for _ in 0..<10 { chunk.withUnsafeBytes { console.write($0) } }  // 40 KiB into a 4 KiB pipe
        #expect(console.droppedBytes > 0, "a reader that does not read costs output, not time")
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        let flags = fcntl(ends[0], F_GETFL)
        _ = fcntl(ends[0], F_SETFL, flags | O_NONBLOCK)
        for _ in 0..<200 {
            let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count > 0 { received += buffer.prefix(count) }
            console.finish(within: .milliseconds(10))
            if String(decoding: received, as: UTF8.self).contains("bytes are only in the logs]") { break }
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(
            text.contains("[sf-agent: the console fell behind; \(console.droppedBytes) bytes are only in the logs]"))
        let copied = text.replacing(
            "\n[sf-agent: the console fell behind; \(console.droppedBytes) bytes are only in the logs]\n", with: "")
        #expect(
            copied == String(repeating: "y", count: 40960 - console.droppedBytes), "what was not dropped arrives whole")
    }
}
