import AgentSystem
import CZstd

#if canImport(Glibc)
import Glibc
#endif

/// Compresses the tar stream with libzstd into a file descriptor, with
/// worker threads when asked, as `zstd -<level> -T<threads>` does, and
/// hashes the compressed bytes as they are written.
///
/// libarchive's own zstd filter (3.6) runs its workers mostly idle; feeding
/// libzstd directly in megabyte blocks keeps them busy. Compression jobs are
/// kept at 4 MiB so memory stays small with several workers.
final class ZstdOutput {
    private let context: OpaquePointer
    private let fd: Int32
    private let path: String
    private var buffer: UnsafeMutableRawBufferPointer
    /// The SHA-256 of what was written.
    private(set) var hash = SHA256Stream()
    /// The first failure, kept for libarchive's callback, which can only say -1.
    private(set) var failure: ArtifactError?

    /// `threads` > 1 spawns that many workers; `nil` or 1 compresses on the calling thread.
    init(fd: Int32, level: Int?, threads: Int?, path: String) throws(ArtifactError) {
        guard let context = ZSTD_createCCtx() else {
            throw ArtifactError(code: .invalidOptions, path: path, reason: "libzstd could not allocate a context")
        }
        self.context = context
        self.fd = fd
        self.path = path
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        try set(ZSTD_c_compressionLevel, Int32(level ?? 3), what: "compression level \(level ?? 3)")
        if let threads, threads > 1 {
            try set(ZSTD_c_nbWorkers, Int32(threads), what: "\(threads) threads")
            try set(ZSTD_c_jobSize, 4 << 20, what: "job size")
        }
        try set(ZSTD_c_checksumFlag, 1, what: "checksums")
    }

    deinit {
        ZSTD_freeCCtx(context)
        buffer.deallocate()
    }

    /// Compresses `bytes`; `false` after a failure (see ``failure``).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size {
            guard drive(&input, ZSTD_e_continue) != nil else { return false }
        }
        return failure == nil
    }

    /// Ends the frame and writes what the workers still hold.
    func finish() throws(ArtifactError) {
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
                code: .writeFailed, path: path, reason: "zstd: " + String(decoding: Self.bytes(ZSTD_getErrorName(result)), as: UTF8.self))
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

    private func set(_ parameter: ZSTD_cParameter, _ value: Int32, what: String) throws(ArtifactError) {
        let result = ZSTD_CCtx_setParameter(context, parameter, value)
        if ZSTD_isError(result) != 0 {
            throw ArtifactError(
                code: .invalidOptions, path: path,
                reason: "zstd refused \(what): " + String(decoding: Self.bytes(ZSTD_getErrorName(result)), as: UTF8.self))
        }
    }

    private static func bytes(_ string: UnsafePointer<CChar>?) -> [UInt8] {
        guard let string else { return [] }
        return Array(UnsafeBufferPointer(start: string, count: strlen(string))).map { UInt8(bitPattern: $0) }
    }
}
