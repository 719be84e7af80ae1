import CArchive

/// Owns one `struct archive_entry *` built for writing.
///
/// Only what an artifact needs is copied from the entry the disk walker
/// returned: type, permissions, owner ids and names, mtime, size and symlink
/// target. Extended attributes, ACLs, file flags, atime and ctime are left out.
final class ArchiveEntry {
    let handle: OpaquePointer

    /// An empty entry, to be filled by ``fill(relativeName:metadataOf:)``
    /// once per archived path (one allocation for the whole walk).
    init(path: String) throws(ArtifactError) {
        guard let handle = archive_entry_new() else {
            throw ArtifactError(code: .writeFailed, path: path, reason: "libarchive could not allocate an entry")
        }
        self.handle = handle
    }

    /// Clears the entry and names it `relativeName` (the raw bytes of the
    /// name) with the metadata of `source`, a read-disk entry.
    func fill(relativeName: [UInt8], metadataOf source: OpaquePointer) {
        archive_entry_clear(handle)
        var cName = relativeName
        cName.append(0)
        cName.withUnsafeBytes { archive_entry_copy_pathname(handle, $0.baseAddress?.assumingMemoryBound(to: CChar.self)) }
        archive_entry_set_filetype(handle, archive_entry_filetype(source))
        archive_entry_set_perm(handle, archive_entry_perm(source))
        archive_entry_set_uid(handle, archive_entry_uid(source))
        archive_entry_set_gid(handle, archive_entry_gid(source))
        archive_entry_copy_uname(handle, archive_entry_uname(source))
        archive_entry_copy_gname(handle, archive_entry_gname(source))
        archive_entry_set_mtime(handle, archive_entry_mtime(source), archive_entry_mtime_nsec(source))
        if let target = archive_entry_symlink(source) {
            archive_entry_copy_symlink(handle, target)
        }
        archive_entry_set_size(handle, 0)
    }

    deinit {
        archive_entry_free(handle)
    }

    /// Sets the size of a regular file's data.
    func setSize(_ size: Int64) {
        archive_entry_set_size(handle, size)
    }
}
