import CArchive
import CZstd

/// Owns one libarchive write handle: pax tar through one compression filter
/// into a file descriptor the caller owns.
///
/// Freed in `deinit`. A writer that was not ``close()``d is marked failed
/// first, so freeing it never writes a trailer to a descriptor the caller may
/// already have closed.
final class ArchiveWriter {
    private let handle: OpaquePointer
    /// The archive's final path, for error messages.
    private let archivePath: String
    private let compression: ArtifactCompression
    private let level: Int?
    private let threads: Int?
    private var zstd: ZstdOutput?
    private var closed = false

    /// The SHA-256 of the archive file, when it was computed while writing (zstd).
    var writtenSHA256: String? { zstd?.hash.hexDigest() }

    /// A configured writer; nothing is written until ``open(fileDescriptor:)``.
    ///
    /// gzip runs as libarchive's filter; zstd runs in ``ZstdOutput`` (libzstd
    /// directly, with `threads` workers) behind an uncompressed tar stream.
    init(compression: ArtifactCompression, level: Int?, threads: Int? = nil, archivePath: String) throws(ArtifactError)
    {
        try LibArchive.load(for: archivePath, code: .writeFailed)
        guard let handle = archive_write_new() else {
            throw ArtifactError(code: .writeFailed, path: archivePath, reason: "libarchive could not allocate a writer")
        }
        self.handle = handle
        self.archivePath = archivePath
        self.compression = compression
        self.level = level
        self.threads = threads
        try check(archive_write_set_format_pax_restricted(handle), .invalidOptions)
        // Megabyte blocks to the output, and no padding of the last one beyond the tar trailer.
        // For zstd none at all: libarchive hands each header and data block straight to
        // ``ZstdOutput``, which copies it once into its own megabyte blocks (the same stream).
        try check(archive_write_set_bytes_per_block(handle, compression == .zstd ? 0 : 1 << 20), .invalidOptions)
        try check(archive_write_set_bytes_in_last_block(handle, 1), .invalidOptions)
        switch compression {
        case .gzip:
            try check(archive_write_add_filter_gzip(handle), .invalidOptions)
            // No time in the gzip header (`mtime = 0`; libarchive stores no name): the same tar, the same bytes.
            guard archive_write_set_filter_option(handle, "gzip", "timestamp", nil) == ARCHIVE_OK else {
                throw .libarchive(.invalidOptions, path: archivePath, archive: handle)
            }
        case .zstd, .none: try check(archive_write_add_filter_none(handle), .invalidOptions)
        }
        if let level, compression == .zstd, !(Int(ZSTD_minCLevel())...Int(ZSTD_maxCLevel())).contains(level) {
            throw ArtifactError(
                code: .invalidOptions, path: archivePath,
                reason:
                    "compression level \(level) rejected for zstd: it must lie between \(ZSTD_minCLevel()) and \(ZSTD_maxCLevel())"
            )
        }
        if let level, compression == .gzip {
            // ARCHIVE_WARN here means no filter knew the option: an error too.
            guard archive_write_set_filter_option(handle, nil, "compression-level", String(level)) == ARCHIVE_OK
            else {
                var error = ArtifactError.libarchive(.invalidOptions, path: archivePath, archive: handle)
                error.reason = "compression level \(level) rejected for \(compression.rawValue): \(error.reason)"
                throw error
            }
        }
    }

    deinit {
        if !closed { archive_write_fail(handle) }
        archive_write_free(handle)
        zstd?.stopFeeder()
    }

    /// Starts writing to `fileDescriptor`, which stays open and owned by the caller.
    func open(fileDescriptor: Int32) throws(ArtifactError) {
        guard compression == .zstd else {
            try check(archive_write_open_fd(handle, fileDescriptor), .writeFailed)
            return
        }
        let output = try ZstdOutput(fd: fileDescriptor, level: level, threads: threads, path: archivePath)
        zstd = output
        try check(
            archive_write_open2(handle, Unmanaged.passUnretained(output).toOpaque(), nil, zstdWrite, nil, nil),
            .writeFailed)
    }

    /// Writes one entry's header.
    ///
    /// A warning (a name that is not valid UTF-8, stored as raw bytes with
    /// `hdrcharset=BINARY`) is not an error.
    func writeHeader(_ entry: ArchiveEntry) throws(ArtifactError) {
        try check(archive_write_header(handle, entry.handle), .writeFailed)
    }

    /// Where the current entry's next data can be read into so that
    /// ``writeData(_:)`` of exactly those bytes does not copy them (zstd
    /// only; `nil` otherwise). Valid until the next write.
    func dataWindow() -> UnsafeMutableRawBufferPointer? {
        zstd?.window()
    }

    /// Appends the current entry's data.
    func writeData(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
        let written = archive_write_data(handle, bytes.baseAddress, bytes.count)
        guard written >= 0 else {
            if let failure = zstd?.inputFailure ?? zstd?.settledFailure { throw failure }
            throw .libarchive(.writeFailed, path: archivePath, archive: handle)
        }
        guard written == bytes.count else {
            throw ArtifactError(
                code: .writeFailed, path: archivePath,
                reason: "libarchive accepted \(written) of \(bytes.count) bytes for an entry")
        }
    }

    /// Writes the trailer and flushes the compressor into the descriptor.
    func close() throws(ArtifactError) {
        let status = archive_write_close(handle)
        closed = true
        try check(status, .writeFailed)
        try zstd?.finish()
    }

    /// libarchive's error, unless the zstd output failed first (its error keeps the errno).
    private func check(_ status: Int32, _ code: ArtifactError.Code) throws(ArtifactError) {
        if status == ARCHIVE_OK || status == ARCHIVE_WARN { return }
        if let failure = zstd?.settledFailure { throw failure }
        throw .libarchive(code, path: archivePath, archive: handle)
    }
}

/// libarchive's write callback: hands each block of the tar stream to the
/// ``ZstdOutput`` passed as client data.
private func zstdWrite(
    _ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeRawPointer?, _ length: Int
) -> Int {
    guard let context, let buffer else { return -1 }
    let output = Unmanaged<ZstdOutput>.fromOpaque(context).takeUnretainedValue()
    return output.write(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : -1
}
