import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// `combined.log`: both streams' lines in arrival order, each after its
/// time and stream (`2026-11-29T12:00:00.000Z stdout `), capped like any
/// log.
///
/// Writing it into the page cache costs more than the stream's own log
/// (its lines are a third longer), so a thread of its own writes it while
/// the caller goes on reading: the caller stamps each chunk into one of
/// ``depth`` blocks, which the writer takes in order. The caller waits only
/// when every block is taken; memory stays at ``depth`` blocks of at most
/// ``blockLimit`` bytes. Where no thread can be started, each block is
/// written before ``write(_:from:time:)`` returns, in the same bytes.
///
/// ```swift
/// let combined = try CombinedLog(path: "/output/job-1/combined.log", maximumBytes: nil)
/// combined.write(chunk, from: .stdout, time: Timestamp.now().rfc3339)
/// let summary = combined.close(time: Timestamp.now().rfc3339)   // unfinished lines stamped with this time
/// ```
///
/// Use it from one thread; a failure writing the file (a full disk) is in
/// the summary ``close(time:)`` returns.
final class CombinedLog {
    /// Blocks of stamped lines that may wait for the writer.
    static let depth = 4
    /// The most a block holds for ordinary text (a 1 MiB read of 85-byte
    /// lines stamps to 1.4 MiB); a chunk that would stamp to more (very
    /// short lines) is stamped in pieces of ``denseChunkPiece`` bytes.
    static let blockLimit = 4 << 20
    /// A piece of a dense chunk: stamped, at most 33 times its size.
    static let denseChunkPiece = 64 * 1024

    private let writer: CombinedLogWriter
    private var thread: WorkerThread?
    private var lines: [OutputStreamKind: LineSplitter] = [.stdout: LineSplitter(), .stderr: LineSplitter()]
    private var next = 0
    private var summary: LogSummary?

    /// Creates (or truncates) the file; `threaded: false` writes on the caller's thread.
    init(path: String, maximumBytes: Int?, threaded: Bool = true) throws(SystemError) {
        let writer = CombinedLogWriter(log: try CappedLog(path: path, maximumBytes: maximumBytes), depth: Self.depth)
        self.writer = writer
        if threaded { thread = try? WorkerThread { writer.run() } }
    }

    deinit { _ = close(time: Timestamp.now().rfc3339) }

    /// The file's descriptor, for tests that swap in a failing one before the first write.
    var descriptorForTesting: Int32 { writer.log.descriptorForTesting }

    /// Stamps the complete lines of `chunk`, which came from `stream` at
    /// `time`, and queues them for the file.
    func write(_ chunk: UnsafeRawBufferPointer, from stream: OutputStreamKind, time: String) {
        guard summary == nil, !chunk.isEmpty else { return }
        // Taken out while the blocks are filled, so its buffer is not copied.
        var splitter = lines.removeValue(forKey: stream) ?? LineSplitter()
        defer { lines[stream] = splitter }
        let prefix = Array("\(time) \(stream.rawValue) ".utf8)
        prefix.withUnsafeBytes { prefix in
            let capacity = splitter.stampCapacity(chunk, prefixBytes: prefix.count)
            if capacity <= Self.blockLimit {
                submit(capacity: capacity) { splitter.stamp(chunk, prefix: prefix, into: $0) }
                return
            }
            var start = 0
            while start < chunk.count {
                let piece = UnsafeRawBufferPointer(
                    rebasing: chunk[start..<min(start + Self.denseChunkPiece, chunk.count)])
                submit(capacity: splitter.stampCapacity(piece, prefixBytes: prefix.count)) {
                    splitter.stamp(piece, prefix: prefix, into: $0)
                }
                start += piece.count
            }
        }
    }

    /// Ends unfinished lines (stamped with `time`, stdout's first), waits
    /// for the writer and closes the file. Later writes are ignored. Idempotent.
    func close(time: String) -> LogSummary {
        if let summary { return summary }
        for stream in OutputStreamKind.allCases {
            let prefix = Array("\(time) \(stream.rawValue) ".utf8)
            lines[stream]?.flush { line in
                let stamped = prefix + Array(line)
                submit(capacity: stamped.count) { target in
                    stamped.withUnsafeBytes {
                        UnsafeMutableRawBufferPointer(start: target, count: $0.count).copyMemory(from: $0)
                    }
                    return stamped.count
                }
            }
        }
        if let thread {
            writer.free.wait()
            writer.blocks[next].fillEnd()
            writer.filled.post()
            thread.join()
        }
        thread = nil
        let result = writer.log.close()
        summary = result
        return result
    }

    /// Fills the next block through `fill` (given room for `capacity`
    /// bytes, it returns how many it wrote) and hands it to the writer, or
    /// without a writer thread writes it at once.
    private func submit(capacity: Int, _ fill: (UnsafeMutableRawPointer) -> Int) {
        guard thread != nil else {
            writer.blocks[0].fill(capacity: capacity, fill)
            writer.log.write(writer.blocks[0].bytes)
            return
        }
        writer.free.wait()
        writer.blocks[next].fill(capacity: capacity, fill)
        writer.filled.post()
        next = (next + 1) % writer.blocks.count
    }
}

/// What the writer thread works on. The caller fills a block only after
/// taking it from `free`, the writer writes it only after taking it from
/// `filled`: each block, and the log while the thread runs, belong to one
/// thread at a time, and the semaphores order their accesses.
private final class CombinedLogWriter: @unchecked Sendable {
    let log: CappedLog
    let blocks: [Block]
    let free: Semaphore
    let filled: Semaphore

    init(log: CappedLog, depth: Int) {
        self.log = log
        blocks = (0..<depth).map { _ in Block() }
        free = Semaphore(depth)
        filled = Semaphore(0)
    }

    /// The writer thread: every block in order, until the end.
    func run() {
        var index = 0
        while true {
            filled.wait()
            let block = blocks[index]
            if block.isEnd { return }
            log.write(block.bytes)
            free.post()
            index = (index + 1) % blocks.count
        }
    }
}

/// Bytes on their way to the file (or the end), in memory kept from one use to the next.
private final class Block {
    private var storage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var count = 0
    private(set) var isEnd = false

    deinit { storage.deallocate() }

    /// The bytes filled in.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }

    /// Makes room for `capacity` bytes and lets `fill` write them; it returns how many it wrote.
    func fill(capacity: Int, _ fill: (UnsafeMutableRawPointer) -> Int) {
        if storage.count < capacity {
            storage.deallocate()
            // Doubling (up to the limit), so a chunk a little longer than the last does not reallocate.
            storage = .allocate(byteCount: max(capacity, min(2 * storage.count, CombinedLog.blockLimit)), alignment: 16)
        }
        count = storage.baseAddress.map { min(fill($0), capacity) } ?? 0
        isEnd = false
    }

    /// Marks the end of the output.
    func fillEnd() {
        count = 0
        isEnd = true
    }
}

/// A counting semaphore (POSIX, process-private); `wait` retries after a signal.
private final class Semaphore: @unchecked Sendable {
    private let semaphore = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)

    init(_ value: Int) { sem_init(semaphore, 0, UInt32(value)) }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    func wait() { while sem_wait(semaphore) != 0 && currentErrno() == EINTR {} }

    func post() { sem_post(semaphore) }
}
