import AgentSystem
import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// What an artifacts archive holds, read back with libarchive: each entry's
/// path, type, size, mode, symlink target and (for regular files) the
/// SHA-256 of its data. For `sf-agent verify`.
///
/// ```swift
/// let entries = try ArchiveContents.read("/output/job-1/artifacts.tar.gz")
/// entries.first?.sha256   // "9f86d0…"
/// ```
package enum ArchiveContents {
    /// One entry as the archive stores it.
    package struct Entry: Sendable, Equatable {
        /// The path, without a trailing `/` for a directory.
        package var path: String
        /// `file`, `directory`, `symlink` or `other`: the manifest's words.
        package var type: String
        package var size: Int
        /// Permission bits (`0o7777`).
        package var mode: UInt32
        package var sha256: String?
        package var target: String?

        package init(path: String, type: String, size: Int, mode: UInt32, sha256: String? = nil, target: String? = nil)
        {
            self.path = path
            self.type = type
            self.size = size
            self.mode = mode
            self.sha256 = sha256
            self.target = target
        }
    }

    /// Reads every entry of the archive at `path` (gzip, zstd or none).
    ///
    /// - Throws: ``ArtifactError`` `.unreadableArtifact` naming the archive
    ///   and libarchive's reason (a truncated or corrupt stream included).
    package static func read(_ path: String) throws(ArtifactError) -> [Entry] {
        try LibArchive.load(for: path, code: .unreadableArtifact)
        guard let handle = archive_read_new() else {
            throw ArtifactError(code: .unreadableArtifact, path: path, reason: "libarchive could not allocate a reader")
        }
        defer { archive_read_free(handle) }
        archive_read_support_filter_all(handle)
        archive_read_support_format_tar(handle)
        guard archive_read_open_filename(handle, path, 1 << 20) == ARCHIVE_OK else {
            throw .libarchive(.unreadableArtifact, path: path, archive: handle)
        }
        var entries: [Entry] = []
        var entry: OpaquePointer?
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw .libarchive(.unreadableArtifact, path: path, archive: handle)
            }
            var name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            while name.count > 1 && name.hasSuffix("/") { name.removeLast() }
            let type: String
            let kind: mode_t = archive_entry_filetype(entry) & 0o170000
            switch kind {
            case S_IFREG: type = "file"
            case S_IFDIR: type = "directory"
            case S_IFLNK: type = "symlink"
            default: type = "other"
            }
            var item = Entry(
                path: name, type: type, size: type == "file" ? Int(archive_entry_size(entry)) : 0,
                mode: UInt32(archive_entry_perm(entry)) & 0o7777,
                target: archive_entry_symlink(entry).map { String(cString: $0) })
            if type == "file" {
                var hash = SHA256Stream()
                var total = 0
                while true {
                    let count = buffer.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                    if count == 0 { break }
                    guard count > 0 else { throw .libarchive(.unreadableArtifact, path: path, archive: handle) }
                    buffer.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    total += count
                }
                item.sha256 = hash.hexDigest()
                item.size = total
            }
            entries.append(item)
        }
        return entries
    }
}
