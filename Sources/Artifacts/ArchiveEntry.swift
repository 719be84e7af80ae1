import CArchive

/// Owns one `struct archive_entry *` built for writing.
///
/// Only what an artifact needs is set from the reader's frame: type,
/// permissions, owner ids and names, mtime, size and symlink target.
/// Extended attributes, ACLs, file flags, atime and ctime are left out.
final class ArchiveEntry {
    let handle: OpaquePointer

    /// An empty entry, to be filled by ``fill(name:_:symlinkTarget:owners:)``
    /// once per archived path (one allocation for the whole walk).
    init(path: String) throws(ArtifactError) {
        guard let handle = archive_entry_new() else {
            throw ArtifactError(code: .writeFailed, path: path, reason: "libarchive could not allocate an entry")
        }
        self.handle = handle
    }

    deinit {
        archive_entry_free(handle)
    }

    /// Clears the entry and names it `name` (the raw bytes of the path
    /// inside the archive) with the metadata of `frame`.
    /// With `normalization`, the owner is 0:0 without names and the mtime
    /// is clamped to its epoch, in whole seconds.
    func fill(
        name: [UInt8], _ frame: ReaderFrame, symlinkTarget: [UInt8]?, owners: OwnerNames,
        normalization: ArchiveNormalization? = nil
    ) {
        archive_entry_clear(handle)
        Self.withCString(name) { archive_entry_copy_pathname(handle, $0) }
        archive_entry_set_filetype(handle, frame.fileType)
        archive_entry_set_perm(handle, frame.mode & 0o7777)
        if let normalization {
            archive_entry_set_uid(handle, ArchiveNormalization.owner.uid)
            archive_entry_set_gid(handle, ArchiveNormalization.owner.gid)
            let seconds = normalization.modificationTime(seconds: Int64(frame.modified.seconds))
            archive_entry_set_mtime(handle, time_t(seconds), 0)
        } else {
            archive_entry_set_uid(handle, Int64(frame.uid))
            archive_entry_set_gid(handle, Int64(frame.gid))
            if let user = owners.user(frame.uid) { archive_entry_copy_uname(handle, user) }
            if let group = owners.group(frame.gid) { archive_entry_copy_gname(handle, group) }
            archive_entry_set_mtime(handle, time_t(frame.modified.seconds), Int(frame.modified.nanoseconds))
        }
        if let symlinkTarget {
            Self.withCString(symlinkTarget) { archive_entry_copy_symlink(handle, $0) }
        }
        archive_entry_set_size(handle, 0)
    }

    /// Sets the size of a regular file's data.
    func setSize(_ size: Int64) {
        archive_entry_set_size(handle, size)
    }

    private static func withCString(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>?) -> Void) {
        var terminated = bytes
        terminated.append(0)
        terminated.withUnsafeBytes { body($0.baseAddress?.assumingMemoryBound(to: CChar.self)) }
    }
}
