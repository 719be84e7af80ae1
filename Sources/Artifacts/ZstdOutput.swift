import AgentSystem
import CZstd

/// Compresses the tar stream with libzstd into a file descriptor, with
/// worker threads when asked, as `zstd -<level> -T<threads>` does, and
/// hashes the compressed bytes as they are written.
///
/// libarchive's own zstd filter (3.6) runs its workers mostly idle; feeding
/// libzstd directly in megabyte blocks keeps them busy. libarchive hands
/// over the tar stream unblocked (headers, data, padding as they come);
/// it is copied once (a large file's data not at all: it is read into
/// place, ``window()``) into a ``BlockQueue`` of megabyte blocks allocated
/// once. With `threads` set, a thread of its own feeds the full blocks to
/// libzstd and writes its output, so reading and hashing the artifacts go
/// on while libzstd waits for a job, as `tar | zstd` does with two
/// processes. Compression jobs are kept at 4 MiB so memory stays small.
final class ZstdOutput: @unchecked Sendable {
    private let context: OpaquePointer
    private let fd: Int32
    private let path: String
    private let buffer: UnsafeMutableRawBufferPointer
    /// The SHA-256 of what was written.
    private(set) var hash = SHA256Stream()
    /// The first failure, kept for libarchive's callback, which can only say -1.
    /// Written by the feeding thread only while it runs; read after it is joined.
    private(set) var failure: ArtifactError?
    /// Written by the caller's thread only: data that did not arrive where
    /// it was read into place (``window()``), refused rather than archived
    /// with what was written over it.
    private(set) var inputFailure: ArtifactError?
    /// The tar stream, to the feeding thread.
    private var queue: BlockQueue?
    private var feeder: WorkerThread?
    /// Without a feeding thread: the block being gathered for libzstd, and how full it is.
    private var staging: UnsafeMutableRawBufferPointer?
    private var staged = 0

    /// `threads` libzstd workers (at least one); with `threads` set, a
    /// feeding thread hands them the tar stream (as `tar | zstd -T<n>` does
    /// with two processes); `nil` feeds them from the calling thread.
    /// The bytes written are the same for every thread count.
    init(fd: Int32, level: Int?, threads: Int?, path: String) throws(ArtifactError) {
        guard let context = ZSTD_createCCtx() else {
            throw ArtifactError(code: .invalidOptions, path: path, reason: "libzstd could not allocate a context")
        }
        self.context = context
        self.fd = fd
        self.path = path
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        try set(ZSTD_c_compressionLevel, Int32(level ?? 3), what: "compression level \(level ?? 3)")
        // Always through workers, with a fixed job size: libzstd's frames are then
        // the same bytes for 1 worker or N (its single-threaded mode cuts blocks otherwise).
        let workers = Self.workers(threads)
        try set(ZSTD_c_nbWorkers, Int32(workers), what: "\(workers) threads")
        try set(ZSTD_c_jobSize, Self.jobSize, what: "job size")
        try set(ZSTD_c_checksumFlag, 1, what: "checksums")
        if threads != nil {
            try startFeeder()
        } else {
            staging = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 64)
        }
    }

    /// The size of each worker's job (4 MiB): fixed, so frames do not depend on the thread count.
    static let jobSize: Int32 = 4 << 20
    /// The blocks the tar stream is handed to libzstd in.
    static let blockSize = 1 << 20
    /// Blocks in the queue to the feeding thread: four waiting, one being
    /// filled, one being compressed.
    static let queueBlocks = 6

    /// libzstd workers for `threads` (nil or 0 as 1: there is always at least one).
    static func workers(_ threads: Int?) -> Int { max(1, threads ?? 1) }

    deinit {
        stopFeeder()
        ZSTD_freeCCtx(context)
        buffer.deallocate()
        staging?.deallocate()
    }

    /// Where the next bytes of the tar stream can be written in place: the
    /// free end of the block being gathered. Bytes written there and then
    /// passed to ``write(_:)`` (through libarchive, which hands them on
    /// unchanged) are not copied again. Valid until the next `write`.
    func window() -> UnsafeMutableRawBufferPointer? {
        if let queue { return queue.window() }
        guard let staging else { return nil }
        return UnsafeMutableRawBufferPointer(rebasing: staging[staged...])
    }

    /// Takes `bytes` of the tar stream: queued for the feeding thread, or
    /// gathered and compressed a block at a time; `false` after a failure
    /// (see ``failure``).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let queue {
            guard queue.append(bytes) else { return refuseMisplaced() }
            return true
        }
        guard let staging, let target = staging.baseAddress, let source = bytes.baseAddress else {
            return failure == nil
        }
        if UnsafeRawPointer(target) <= source, source < UnsafeRawPointer(target + staging.count) {
            guard UnsafeRawPointer(target + staged) == source, bytes.count <= staging.count - staged else {
                return refuseMisplaced()
            }
            // Written in place (``window()``).
            staged += bytes.count
            if staged == staging.count {
                staged = 0
                return compress(UnsafeRawBufferPointer(staging))
            }
            return failure == nil
        }
        var offset = 0
        while offset < bytes.count {
            let take = min(bytes.count - offset, staging.count - staged)
            (target + staged).copyMemory(from: source + offset, byteCount: take)
            staged += take
            offset += take
            if staged == staging.count {
                staged = 0
                guard compress(UnsafeRawBufferPointer(staging)) else { return false }
            }
        }
        return failure == nil
    }

    /// Data read into place came back elsewhere (libarchive wrote something
    /// between): a failure, never an archive with other bytes.
    private func refuseMisplaced() -> Bool {
        inputFailure = ArtifactError(
            code: .writeFailed, path: path,
            reason: "libarchive did not hand a file's data on where it was read into; nothing was published")
        return false
    }

    private func compress(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size {
            guard drive(&input, ZSTD_e_continue) != nil else { return false }
        }
        return failure == nil
    }

    /// Ends the frame and writes what the workers still hold.
    func finish() throws(ArtifactError) {
        stopFeeder()
        if let staging, staged > 0 {
            _ = compress(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(staging)[0..<staged]))
            staged = 0
        }
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while true {
            guard let remaining = drive(&input, ZSTD_e_end) else { break }
            if remaining == 0 { break }
        }
        if let failure { throw failure }
    }

    /// One compression step; writes its output. Returns what zstd says is
    /// left to flush, or `nil` on failure.
    private func drive(_ input: inout ZSTD_inBuffer, _ mode: ZSTD_EndDirective) -> Int? {
        if failure != nil { return nil }
        var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        let result = ZSTD_compressStream2(context, &output, &input, mode)
        if ZSTD_isError(result) != 0 {
            failure = ArtifactError(
                code: .writeFailed, path: path,
                reason: "zstd: " + String(decoding: CString.bytes(ZSTD_getErrorName(result)), as: UTF8.self))
            return nil
        }
        if output.pos > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<output.pos])
            do throws(SystemError) {
                try FileSystem.writeAll(fd, chunk, path: path)
            } catch {
                failure = .system(.writeFailed, path: path, error)
                return nil
            }
            hash.update(chunk)
        }
        return result
    }

    /// Starts the thread that feeds queued blocks to libzstd.
    private func startFeeder() throws(ArtifactError) {
        let queue = BlockQueue(blockSize: Self.blockSize, bufferCount: Self.queueBlocks)
        self.queue = queue
        do throws(SystemError) {
            // Unowned: `deinit` and `finish()` join the thread before `self` goes away
            // (a strong reference would keep an abandoned output, and its thread, alive).
            feeder = try WorkerThread { [unowned(unsafe) self] in feed() }
        } catch {
            self.queue = nil
            throw ArtifactError(
                code: .writeFailed, path: path, reason: "cannot start the zstd feeding thread: \(error)")
        }
    }

    /// The failure, once no feeding thread can still be writing it.
    var settledFailure: ArtifactError? { queue == nil ? failure : nil }

    /// Closes the queue (its last, partial block goes to the feeding thread)
    /// and waits for the thread to drain it. Idempotent.
    func stopFeeder() {
        guard let queue, let feeder else { return }
        queue.close()
        feeder.join()
        self.queue = nil
        self.feeder = nil
    }

    /// The feeding thread's body: compress blocks until the queue closes
    /// (after a failure, drain without compressing so the producer never waits).
    private func feed() {
        guard let queue else { return }
        while let block = queue.pop() {
            if failure == nil { _ = compress(block.bytes) }
            queue.recycle(block)
        }
    }

    private func set(_ parameter: ZSTD_cParameter, _ value: Int32, what: String) throws(ArtifactError) {
        let result = ZSTD_CCtx_setParameter(context, parameter, value)
        if ZSTD_isError(result) != 0 {
            throw ArtifactError(
                code: .invalidOptions, path: path,
                reason: "zstd refused \(what): "
                    + String(decoding: CString.bytes(ZSTD_getErrorName(result)), as: UTF8.self))
        }
    }
}
