import AgentSystem
import CArchive
import Secrets

#if canImport(Glibc)
import Glibc
#endif

extension ArtifactArchiver {
    /// What a walk wrote.
    struct WalkResult {
        var entries = 0
        var skipped: [String] = []
        /// Total size of the regular files.
        var fileBytes = 0
        /// The first limit exceeded; from then on nothing more is written, only counted.
        var excess: LimitExcess?
        var secretPaths: [String] = []
        var fileDigests: [FileDigest] = []
    }

    /// What else a walk does besides writing the archive.
    struct WalkOptions {
        var limits = ArtifactLimits()
        var secretScan: SecretScan?
        var manifest: ManifestWriter?
    }

    /// The size of the blocks file contents are streamed in.
    static let blockSize = 64 * 1024

    /// Walks `root` and writes every directory, regular file and symlink
    /// under it, skipping the file with identity `excluded` (the archive
    /// being written, when it lies inside `root`).
    static func writeEntries(
        of root: String, to writer: ArchiveWriter, excluding excluded: [(device: UInt64, inode: UInt64)],
        archivePath: String, options: WalkOptions = WalkOptions()
    ) throws(ArtifactError) -> WalkResult {
        let walker = try DiskWalker(root: root)
        guard let rootEntry = try walker.next() else {
            throw ArtifactError(code: .unreadableArtifact, path: root, reason: "the walk returned nothing")
        }
        guard archive_entry_filetype(rootEntry) & S_IFMT == S_IFDIR else {
            throw ArtifactError(code: .notADirectory, path: root, reason: "it was replaced while being archived")
        }
        let rootName = bytes(of: archive_entry_pathname(rootEntry))
        // Files are opened relative to the root (a short lookup per file),
        // through a descriptor checked to be the directory the walker lists.
        let rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootDescriptor >= 0 else {
            throw .lastSystemError(.unreadableArtifact, path: root, operation: "cannot open it")
        }
        defer { close(rootDescriptor) }
        var rootInfo = stat()
        guard fstat(rootDescriptor, &rootInfo) == 0, UInt64(rootInfo.st_dev) == UInt64(archive_entry_dev(rootEntry)),
            UInt64(rootInfo.st_ino) == UInt64(truncatingIfNeeded: archive_entry_ino64(rootEntry))
        else {
            throw ArtifactError(code: .notADirectory, path: root, reason: "it was replaced while being archived")
        }
        try walker.descendIfPossible()

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        let entry = try ArchiveEntry(path: archivePath)
        var result = WalkResult()
        while let source = try walker.next() {
            let fullName = bytes(of: archive_entry_pathname(source))
            guard let relative = relativeName(fullName, root: rootName) else {
                throw ArtifactError(
                    code: .unreadableArtifact, path: String(decoding: fullName, as: UTF8.self), reason: "it is not under \(root)")
            }
            let device = archive_entry_dev(source)
            let inode = UInt64(truncatingIfNeeded: archive_entry_ino64(source))
            if excluded.contains(where: { $0.device == device && $0.inode == inode }) {
                continue
            }
            let type = archive_entry_filetype(source) & S_IFMT
            guard type == S_IFDIR || type == S_IFLNK || type == S_IFREG else {
                result.skipped.append(String(decoding: relative, as: UTF8.self))
                continue
            }
            result.entries += 1
            let listedSize = type == S_IFREG ? Int(max(archive_entry_size(source), 0)) : 0
            if result.excess == nil {
                result.excess = options.limits.excess(bytes: result.fileBytes + listedSize, entries: result.entries)
            }
            if result.excess != nil {
                // Over a limit: keep walking to say by how much, write nothing more.
                result.fileBytes += listedSize
                result.excess = options.limits.excess(bytes: result.fileBytes, entries: result.entries)
                if type == S_IFDIR { try walker.descendIfPossible() }
                continue
            }
            let mode = UInt32(archive_entry_perm(source))
            switch type {
            case S_IFDIR:
                entry.fill(relativeName: relative, metadataOf: source)
                try writer.writeHeader(entry)
                try options.manifest?.add(path: relative, type: "directory", size: 0, mode: mode, sha256: nil, target: nil)
                try walker.descendIfPossible()
            case S_IFLNK:
                entry.fill(relativeName: relative, metadataOf: source)
                try writer.writeHeader(entry)
                let target = archive_entry_symlink(source).map { String(cString: $0) }
                try options.manifest?.add(path: relative, type: "symlink", size: 0, mode: mode, sha256: nil, target: target)
            default:
                entry.fill(relativeName: relative, metadataOf: source)
                var scanner = options.secretScan?.masker.makeScanner()
                let streamed = try streamFile(
                    source, at: relative, in: rootDescriptor, as: entry, fullName: fullName, to: writer, buffer: buffer,
                    scanner: &scanner)
                result.fileBytes += streamed.size
                result.fileDigests.append(FileDigest(path: String(decoding: relative, as: UTF8.self), sha256: streamed.sha256))
                if scanner?.found == true { result.secretPaths.append(String(decoding: relative, as: UTF8.self)) }
                try options.manifest?.add(
                    path: relative, type: "file", size: streamed.size, mode: mode, sha256: streamed.sha256, target: nil)
            }
        }
        return result
    }

    /// Writes a regular file's header and contents, read through a descriptor
    /// (opened at `relative` under `directory`) checked to be the very file
    /// the walker listed.
    /// Returns the size written and the contents' SHA-256; `scanner`, if
    /// any, reads the contents of a text file (no NUL in its first block).
    private static func streamFile(
        _ source: OpaquePointer, at relative: [UInt8], in directory: Int32, as entry: ArchiveEntry, fullName: [UInt8],
        to writer: ArchiveWriter, buffer: UnsafeMutableRawBufferPointer, scanner: inout SecretScanner?
    ) throws(ArtifactError) -> (size: Int, sha256: String) {
        // The name for error messages, made only when one is thrown.
        var displayName: String { String(decoding: fullName, as: UTF8.self) }
        var name = relative
        name.append(0)
        let descriptor = name.withUnsafeBytes { raw -> Int32 in
            guard let path = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return -1 }
            return openat(directory, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        }
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
        var hash = SHA256Stream()
        var firstBlock = true
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
            let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            try writer.writeData(block)
            hash.update(block)
            if firstBlock {
                firstBlock = false
                if scanner != nil && block.contains(0) { scanner = nil }  // binary: not searched
            }
            scanner?.scan(block)
            remaining -= count
        }
        return (Int(info.st_size), hash.hexDigest())
    }

    /// The bytes of a C string, without its NUL.
    private static func bytes(of string: UnsafePointer<CChar>?) -> [UInt8] {
        guard let string else { return [] }
        return Array(UnsafeRawBufferPointer(start: string, count: strlen(string)))
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
