import AgentSystem
import CArchive

#if canImport(Glibc)
import Glibc
#endif

extension ArtifactArchiver {
    /// What a walk wrote.
    struct WalkResult {
        var entries = 0
        var skipped: [String] = []
    }

    /// The size of the blocks file contents are streamed in.
    static let blockSize = 64 * 1024

    /// Walks `root` and writes every directory, regular file and symlink
    /// under it, skipping the file with identity `excluded` (the archive
    /// being written, when it lies inside `root`).
    static func writeEntries(
        of root: String, to writer: ArchiveWriter, excluding excluded: (device: UInt64, inode: UInt64),
        archivePath: String
    ) throws(ArtifactError) -> WalkResult {
        let walker = try DiskWalker(root: root)
        guard let rootEntry = try walker.next() else {
            throw ArtifactError(code: .unreadableArtifact, path: root, reason: "the walk returned nothing")
        }
        guard archive_entry_filetype(rootEntry) & S_IFMT == S_IFDIR else {
            throw ArtifactError(code: .notADirectory, path: root, reason: "it was replaced while being archived")
        }
        let rootName = bytes(of: archive_entry_pathname(rootEntry))
        try walker.descendIfPossible()

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        var result = WalkResult()
        while let source = try walker.next() {
            let fullName = bytes(of: archive_entry_pathname(source))
            let displayName = String(decoding: fullName, as: UTF8.self)
            guard let relative = relativeName(fullName, root: rootName) else {
                throw ArtifactError(code: .unreadableArtifact, path: displayName, reason: "it is not under \(root)")
            }
            if archive_entry_dev(source) == excluded.device
                && UInt64(truncatingIfNeeded: archive_entry_ino64(source)) == excluded.inode
            {
                continue
            }
            switch archive_entry_filetype(source) & S_IFMT {
            case S_IFDIR:
                try writer.writeHeader(ArchiveEntry(relativeName: relative, metadataOf: source, path: archivePath))
                try walker.descendIfPossible()
            case S_IFLNK:
                try writer.writeHeader(ArchiveEntry(relativeName: relative, metadataOf: source, path: archivePath))
            case S_IFREG:
                let entry = try ArchiveEntry(relativeName: relative, metadataOf: source, path: archivePath)
                try streamFile(source, as: entry, displayName: displayName, to: writer, buffer: buffer)
            default:
                result.skipped.append(String(decoding: relative, as: UTF8.self))
                continue
            }
            result.entries += 1
        }
        return result
    }

    /// Writes a regular file's header and contents, read through a descriptor
    /// checked to be the very file the walker listed.
    private static func streamFile(
        _ source: OpaquePointer, as entry: ArchiveEntry, displayName: String, to writer: ArchiveWriter,
        buffer: UnsafeMutableRawBufferPointer
    ) throws(ArtifactError) {
        guard let sourcePath = archive_entry_sourcepath(source) ?? archive_entry_pathname(source) else {
            throw ArtifactError(code: .unreadableArtifact, path: displayName, reason: "libarchive gave no path")
        }
        let descriptor = open(sourcePath, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code: ArtifactError.Code = currentErrno() == ELOOP ? .artifactChanged : .unreadableArtifact
            throw .lastSystemError(code, path: displayName, operation: "cannot open it")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw .lastSystemError(.unreadableArtifact, path: displayName, operation: "cannot stat it")
        }
        guard info.st_mode & S_IFMT == S_IFREG,
            UInt64(info.st_dev) == UInt64(archive_entry_dev(source)),
            UInt64(info.st_ino) == UInt64(truncatingIfNeeded: archive_entry_ino64(source))
        else {
            throw ArtifactError(code: .artifactChanged, path: displayName, reason: "it was replaced by another file")
        }
        entry.setSize(Int64(info.st_size))
        try writer.writeHeader(entry)
        var remaining = Int(info.st_size)
        while remaining > 0 {
            let count = read(descriptor, buffer.baseAddress, min(buffer.count, remaining))
            if count < 0 {
                if currentErrno() == EINTR { continue }
                throw .lastSystemError(.unreadableArtifact, path: displayName, operation: "cannot read it")
            }
            guard count > 0 else {
                throw ArtifactError(
                    code: .artifactChanged, path: displayName,
                    reason: "it shrank by \(remaining) bytes while being read")
            }
            try writer.writeData(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            remaining -= count
        }
    }

    /// The bytes of a C string, without its NUL.
    private static func bytes(of string: UnsafePointer<CChar>?) -> [UInt8] {
        guard let string else { return [] }
        return Array(UnsafeBufferPointer(start: string, count: strlen(string))).map { UInt8(bitPattern: $0) }
    }

    /// `fullName` relative to `root`, or `nil` if it does not lie strictly under `root`.
    static func relativeName(_ fullName: [UInt8], root: [UInt8]) -> [UInt8]? {
        guard fullName.count > root.count, fullName.starts(with: root) else { return nil }
        let rest = fullName[root.count...]
        // The separator must follow the root, unless the root already ends with one.
        guard root.last == UInt8(ascii: "/") || rest.first == UInt8(ascii: "/") else { return nil }
        let name = rest.drop { $0 == UInt8(ascii: "/") }
        guard !name.isEmpty else { return nil }
        return Array(name)
    }
}
