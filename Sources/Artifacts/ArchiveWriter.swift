import CArchive

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
    private var closed = false

    /// A configured writer; nothing is written until ``open(fileDescriptor:)``.
    init(compression: ArtifactCompression, level: Int?, threads: Int? = nil, archivePath: String) throws(ArtifactError) {
        guard let handle = archive_write_new() else {
            throw ArtifactError(code: .writeFailed, path: archivePath, reason: "libarchive could not allocate a writer")
        }
        self.handle = handle
        self.archivePath = archivePath
        try check(archive_write_set_format_pax_restricted(handle), .invalidOptions)
        switch compression {
        case .gzip: try check(archive_write_add_filter_gzip(handle), .invalidOptions)
        case .zstd: try check(archive_write_add_filter_zstd(handle), .invalidOptions)
        case .none: try check(archive_write_add_filter_none(handle), .invalidOptions)
        }
        if let level, compression != .none {
            // ARCHIVE_WARN here means no filter knew the option: an error too.
            guard archive_write_set_filter_option(handle, nil, "compression-level", String(level)) == ARCHIVE_OK
            else {
                var error = ArtifactError.libarchive(.invalidOptions, path: archivePath, archive: handle)
                error.reason = "compression level \(level) rejected for \(compression.rawValue): \(error.reason)"
                throw error
            }
        }
        if let threads, threads > 1, compression == .zstd {
            guard archive_write_set_filter_option(handle, nil, "threads", String(threads)) == ARCHIVE_OK else {
                var error = ArtifactError.libarchive(.invalidOptions, path: archivePath, archive: handle)
                error.reason = "zstd threads \(threads) rejected: \(error.reason)"
                throw error
            }
        }
    }

    deinit {
        if !closed { archive_write_fail(handle) }
        archive_write_free(handle)
    }

    /// Starts writing to `fileDescriptor`, which stays open and owned by the caller.
    func open(fileDescriptor: Int32) throws(ArtifactError) {
        try check(archive_write_open_fd(handle, fileDescriptor), .writeFailed)
    }

    /// Writes one entry's header.
    ///
    /// A warning (a name that is not valid UTF-8, stored as raw bytes with
    /// `hdrcharset=BINARY`) is not an error.
    func writeHeader(_ entry: ArchiveEntry) throws(ArtifactError) {
        try check(archive_write_header(handle, entry.handle), .writeFailed)
    }

    /// Appends the current entry's data.
    func writeData(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
        let written = archive_write_data(handle, bytes.baseAddress, bytes.count)
        guard written >= 0 else { throw .libarchive(.writeFailed, path: archivePath, archive: handle) }
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
    }

    private func check(_ status: Int32, _ code: ArtifactError.Code) throws(ArtifactError) {
        if status == ARCHIVE_OK || status == ARCHIVE_WARN { return }
        throw .libarchive(code, path: archivePath, archive: handle)
    }
}
