import Foundation
import TestSupport
import Testing

@testable import Artifacts

/// The zstd path's plumbing: the tar stream cut into blocks through a fixed
/// set of buffers, a large file's data read from the reader's pipe straight
/// into the block being filled, and what comes out: the bytes
/// `zstd -3 -T1 -B4MiB` makes of the same tar.
@Suite(.timeLimit(.minutes(10)))
struct ArchiveStreamTests {
    /// Runs `consume` on a thread of its own and returns what it returned.
    final class Consumer<Result: Sendable>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: Result?

        init(_ consume: @escaping @Sendable () -> Result) {
            Thread.detachNewThread { [self] in
                result = consume()
                done.signal()
            }
        }

        func wait() -> Result? {
            done.wait()
            return result
        }
    }

    /// The blocks a consumer saw: the bytes, each block's size and buffer.
    struct Seen: Sendable {
        var bytes: [UInt8] = []
        var sizes: [Int] = []
        var buffers: Set<Int> = []
    }

    static func consume(_ queue: BlockQueue) -> Seen {
        var seen = Seen()
        while let block = queue.pop() {
            seen.bytes += block.bytes
            seen.sizes.append(block.bytes.count)
            seen.buffers.insert(Int(bitPattern: block.bytes.baseAddress))
            queue.recycle(block)
        }
        return seen
    }

    @Test func appendedBytesArriveInOrderInFullBlocksThroughTheSameBuffers() throws {
        let queue = BlockQueue(blockSize: 1000, bufferCount: 3)
        let consumer = Consumer { Self.consume(queue) }
        var sent: [UInt8] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<400 {
            // Pieces smaller than a block, across its end, and several blocks long.
            let count = [1, 7, 999, 1000, 1001, 3500][round % 6]
            let piece = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            piece.withUnsafeBytes { _ = queue.append($0) }
            sent += piece
        }
        queue.close()
        let seen = try #require(consumer.wait())
        #expect(seen.bytes == sent)
        #expect(seen.sizes.dropLast().allSatisfy { $0 == 1000 })
        #expect((seen.sizes.last ?? 0) == sent.count % 1000 || (seen.sizes.last ?? 0) == 1000)
        // A long stream, three allocations: nothing is allocated per block.
        #expect(seen.sizes.count > 100)
        #expect(seen.buffers.count <= 3)
    }

    @Test func bytesWrittenIntoTheWindowAreHandedOnWithoutACopy() throws {
        let queue = BlockQueue(blockSize: 64, bufferCount: 2)
        let consumer = Consumer { Self.consume(queue) }
        var sent: [UInt8] = []
        var windows: [Int] = []
        for round in 0..<50 {
            // A copied piece, then bytes written in place into what is left of the block.
            let copied = [UInt8](repeating: UInt8(round), count: round % 5)
            copied.withUnsafeBytes { _ = queue.append($0) }
            sent += copied
            let window = queue.window()
            let count = min(window.count, 3 + round % 40)
            for index in 0..<count { window[index] = UInt8(truncatingIfNeeded: round &* 31 &+ index) }
            sent += window[0..<count]
            windows.append(Int(bitPattern: window.baseAddress))
            queue.append(UnsafeRawBufferPointer(rebasing: window[0..<count]))
        }
        queue.close()
        let seen = try #require(consumer.wait())
        #expect(seen.bytes == sent)
        #expect(seen.buffers.count <= 2)
        // Every window lay inside one of the two buffers the consumer was handed.
        for window in windows {
            #expect(seen.buffers.contains { window >= $0 && window < $0 + 64 })
        }
    }

    @Test func bytesWrittenIntoTheWindowAndThenOverwrittenAreRefused() throws {
        let queue = BlockQueue(blockSize: 64, bufferCount: 2)
        let consumer = Consumer { Self.consume(queue) }
        let window = queue.window()
        for index in 0..<10 { window[index] = 0xdd }
        // Something else appended first, over the start of the window: the data is gone.
        #expect([UInt8](repeating: 1, count: 4).withUnsafeBytes { queue.append($0) })
        #expect(!queue.append(UnsafeRawBufferPointer(rebasing: window[0..<10])))
        queue.close()
        let seen = try #require(consumer.wait())
        #expect(seen.bytes == [1, 1, 1, 1])
    }

    @Test func closingDeliversThePartialBlockThenEnds() throws {
        let queue = BlockQueue(blockSize: 100, bufferCount: 2)
        let consumer = Consumer { Self.consume(queue) }
        [UInt8](repeating: 9, count: 250).withUnsafeBytes { _ = queue.append($0) }
        queue.close()
        let seen = try #require(consumer.wait())
        #expect(seen.sizes == [100, 100, 50])
    }

    @Test func aLargeFilesDataIsReadFromThePipeIntoTheWindow() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let size = 3 * FrameDecoder.directReadMinimum + 123
        let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let writing = Consumer { [writeEnd = ends[1]] in
            data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count, let start = bytes.baseAddress {
                    let written = write(writeEnd, start + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(writeEnd)
            return true
        }
        let decoder = FrameDecoder(fileDescriptor: ends[0])
        let window = UnsafeMutableRawBufferPointer.allocate(byteCount: size + 1000, alignment: 64)
        defer { window.deallocate() }
        var used = 0
        var received: [UInt8] = []
        var outside = 0
        try decoder.data(size, into: { UnsafeMutableRawBufferPointer(rebasing: window[used...]) }) {
            (block: UnsafeRawBufferPointer) in
            received += block
            if let start = block.baseAddress, let base = window.baseAddress, start >= UnsafeRawPointer(base),
                start < UnsafeRawPointer(base) + window.count
            {
                used += block.count
            } else {
                outside += block.count
            }
        }
        #expect(writing.wait() == true)
        #expect(received == data)
        // All of it came in place but what may be left below the minimum at the end.
        #expect(outside < FrameDecoder.directReadMinimum)
        #expect(used + outside == size)
    }

    @Test(arguments: [1, 2, 4] as [Int])
    func zstdBytesAreWhatTheZstdToolMakesOfTheTar(threads: Int) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let tree = try scratch.subdirectory("tree")
        try SampleTree.create(in: tree)
        // Large files (read into place), several 4 MiB jobs, and small ones between them.
        for index in 0..<3 {
            try Data(String(repeating: "line \(index) of a log that repeats itself\n", count: 150_000).utf8)
                .write(to: URL(fileURLWithPath: tree + "/log-\(index).txt"))
            try Data("small \(index)\n".utf8).write(to: URL(fileURLWithPath: tree + "/log-\(index).z"))
        }
        let normalization = ArchiveNormalization(sourceDateEpoch: 1_500_000_000)
        let tar = try ArtifactArchiver(compression: .none, normalization: normalization)
            .archive(directory: tree, into: try scratch.subdirectory("tar"))
        let zstd = try ArtifactArchiver(compression: .zstd, level: 3, threads: threads, normalization: normalization)
            .archive(directory: tree, into: try scratch.subdirectory("zstd"))
        // The same tar stream, compressed as `zstd -3 -T1 -B4MiB` does from a pipe.
        let expected = scratch.path + "/expected.tar.zst"
        let tool = try Command.tool(
            "sh", ["-c", "zstd -q -3 -T1 -B\(ZstdOutput.jobSize) -c < '\(tar.path)' > '\(expected)'"])
        #expect(tool.status == 0, "\(tool.stderr)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: zstd.path)) == Data(contentsOf: URL(fileURLWithPath: expected)))
    }
}
