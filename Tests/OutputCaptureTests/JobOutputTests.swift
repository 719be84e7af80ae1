import AgentSystem
import TestSupport
import Testing

@testable import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

@Suite struct JobOutputTests {
    private func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* seed &+ seed) }
    }

    @Test func writesBothLogsByteExact() throws {
        let scratch = try TemporaryDirectory("sf-output")
        let directory = scratch.path
        let output = try JobOutput(logDirectory: "\(directory)/job", console: false)
        let out = bytes(300_000, seed: 7)
        let err = bytes(200_001, seed: 13)
        var outOffset = 0
        var errOffset = 0
        let sizes = [1, 17, 4096, 65_536, 3]
        var turn = 0
        while outOffset < out.count || errOffset < err.count {
            let size = sizes[turn % sizes.count]
            turn += 1
            let end = min(outOffset + size, out.count)
            out[outOffset..<end].withUnsafeBytes { output.write($0, to: .stdout) }
            outOffset = end
            let errEnd = min(errOffset + size, err.count)
            err[errOffset..<errEnd].withUnsafeBytes { output.write($0, to: .stderr) }
            errOffset = errEnd
        }
        output.close()
        output.close()
        #expect(try FileSystem.readFile("\(directory)/job/stdout.log") == out)
        #expect(try FileSystem.readFile("\(directory)/job/stderr.log") == err)
        #expect(output.bytesWritten == [.stdout: out.count, .stderr: err.count])
        #expect(output.logError == nil)
        var info = stat()
        #expect(stat("\(directory)/job/stdout.log", &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o644)
    }

    @Test func truncatesAnEarlierLog() throws {
        let scratch = try TemporaryDirectory("sf-output")
        let directory = scratch.path
        try FileSystem.writeAtomically(Array("old contents".utf8), to: "\(directory)/stdout.log")
        let output = try JobOutput(logDirectory: directory, console: false)
        Array("new".utf8).withUnsafeBytes { output.write($0, to: .stdout) }
        output.close()
        #expect(try FileSystem.readFile("\(directory)/stdout.log") == Array("new".utf8))
        #expect(try FileSystem.readFile("\(directory)/stderr.log") == [])
    }

    @Test func refusesASymlinkedLog() throws {
        let scratch = try TemporaryDirectory("sf-output")
        let directory = scratch.path
        #expect(symlink("/etc/passwd", "\(directory)/stdout.log") == 0)
        #expect(throws: SystemError.self) { _ = try JobOutput(logDirectory: directory, console: false) }
    }

    @Test func aClosedConsoleFallsBackToTheLog() throws {
        signal(SIGPIPE, SIG_IGN)
        let scratch = try TemporaryDirectory("sf-output")
        let directory = scratch.path
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let output = try JobOutput(logDirectory: directory, consoleDescriptors: [.stdout: ends[1], .stderr: ends[1]])
        for _ in 0..<3 { Array("line\n".utf8).withUnsafeBytes { output.write($0, to: .stdout) } }
        output.close()
        #expect(try FileSystem.readFile("\(directory)/stdout.log") == Array("line\nline\nline\n".utf8))
        #expect(output.bytesWritten[.stdout] == 15)
    }

    @Test func aConsoleCopyIsWritten() throws {
        let scratch = try TemporaryDirectory("sf-output")
        let directory = scratch.path
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let output = try JobOutput(logDirectory: directory, consoleDescriptors: [.stderr: ends[1]])
        Array("to stderr".utf8).withUnsafeBytes { output.write($0, to: .stderr) }
        Array("to stdout".utf8).withUnsafeBytes { output.write($0, to: .stdout) }
        output.close()
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
        #expect(Array(buffer.prefix(max(count, 0))) == Array("to stderr".utf8))
    }
}
