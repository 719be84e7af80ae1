import CArchive

/// Owns one libarchive read-disk handle walking a directory tree.
///
/// Symlinks are reported as links and never followed, mount points are
/// reported but not entered, and nothing is opened: file contents are read by
/// the caller. Freed in `deinit`.
final class DiskWalker {
    private let handle: OpaquePointer
    private let root: String

    /// Starts a walk at `root`; the first entry is `root` itself.
    init(root: String) throws(ArtifactError) {
        guard let handle = archive_read_disk_new() else {
            throw ArtifactError(code: .unreadableArtifact, path: root, reason: "libarchive could not allocate a reader")
        }
        self.handle = handle
        self.root = root
        try check(archive_read_disk_set_symlink_physical(handle))
        try check(archive_read_disk_set_standard_lookup(handle))
        let behavior =
            ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS | ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL
            | ARCHIVE_READDISK_NO_FFLAGS | ARCHIVE_READDISK_NO_SPARSE
        try check(archive_read_disk_set_behavior(handle, Int32(behavior)))
        try check(archive_read_disk_open(handle, root))
    }

    deinit {
        archive_read_free(handle)
    }

    /// The next entry, owned by the walker and valid until the next call, or
    /// `nil` when the walk is over.
    func next() throws(ArtifactError) -> OpaquePointer? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        try check(status)
        guard let entry else {
            throw ArtifactError(code: .unreadableArtifact, path: root, reason: "libarchive returned no entry")
        }
        return entry
    }

    /// Enters the directory just returned by ``next()``, unless it is on
    /// another file system.
    func descendIfPossible() throws(ArtifactError) {
        guard archive_read_disk_can_descend(handle) != 0 else { return }
        try check(archive_read_disk_descend(handle))
    }

    private func check(_ status: Int32) throws(ArtifactError) {
        if status == ARCHIVE_OK || status == ARCHIVE_WARN { return }
        throw .libarchive(.unreadableArtifact, path: root, archive: handle)
    }
}
