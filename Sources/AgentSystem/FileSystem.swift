import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Thin, checked wrappers over the file system calls the stages share.
///
/// Every function throws a ``SystemError`` that names the path.
package enum FileSystem {
    /// Whether anything (a dangling symlink included) exists at `path`.
    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return system_lstat(path, &info) == 0
    }

    /// Whether `path` is a directory (symlinks are followed).
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return system_stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a new private (0700) directory `<parent>/<prefix>XXXXXX` with `mkdtemp`; returns its path.
    package static func makeTemporaryDirectory(in parent: String = "/tmp", prefix: String) throws(SystemError) -> String
    {
        var template = Array("\(parent)/\(prefix)XXXXXX".utf8CString)
        let path: String? = template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let path else { throw .last("create a temporary directory", path: parent) }
        return path
    }

    /// Creates `path` and any missing parents with `mode`; an existing directory is fine.
    package static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        if isDirectory(path) { return }
        let parent = Path.parent(of: path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if system_mkdir(path, mode) != 0 && currentErrno() != EEXIST {
            throw .last("create directory", path: path)
        }
    }

    /// Creates one directory with exactly `mode` (umask does not apply).
    package static func makeDirectory(_ path: String, mode: mode_t) throws(SystemError) {
        guard system_mkdir(path, mode) == 0 else { throw .last("create directory", path: path) }
        try changeMode(path, mode)
    }

    package static func changeMode(_ path: String, _ mode: mode_t) throws(SystemError) {
        guard chmod(path, mode) == 0 else { throw .last("change the mode of", path: path) }
    }

    package static func changeOwner(_ path: String, uid: uid_t, gid: gid_t) throws(SystemError) {
        guard lchown(path, uid, gid) == 0 else { throw .last("change the owner of", path: path) }
    }

    /// Renames atomically within one file system.
    package static func rename(_ from: String, to: String) throws(SystemError) {
        guard system_rename(from, to) == 0 else { throw .last("rename to \(to)", path: from) }
    }

    /// Removes a file, or a symbolic link (not its target), with `unlink`.
    package static func removeFile(_ path: String) throws(SystemError) {
        guard system_unlink(path) == 0 else { throw .last("remove", path: path) }
    }

    /// Creates a symbolic link at `path` to `target` (which need not exist).
    package static func makeSymbolicLink(_ target: String, at path: String) throws(SystemError) {
        guard symlink(target, path) == 0 else { throw .last("symlink", path: path) }
    }

    /// The canonical absolute path with every symlink resolved.
    package static func realPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = system_realpath(path) else { throw .last("resolve", path: path) }
        defer { system_free(resolved) }
        return String(cString: resolved)
    }

    /// Reads a whole file.
    package static func readFile(_ path: String) throws(SystemError) -> [UInt8] {
        let fd = system_open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .last("open", path: path) }
        defer { system_close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { system_read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if currentErrno() == EINTR { continue }
                throw .last("read", path: path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// How ``writeAtomically(_:to:mode:durability:)`` makes a file survive a
    /// crash of the machine (a killed process loses nothing either way).
    package enum Durability: Sendable {
        /// No flush: for a file that a crash makes worthless anyway (a job's
        /// work directory), or that a later ``fileSystem`` write flushes.
        case none
        /// fsync of the file before the rename, then of its directory.
        case file
        /// One `syncfs` of the file system before the rename: the file and
        /// everything written there before it (a job's logs, archive and
        /// provenance, for `result.json`), in one flush instead of one per
        /// file; then fsync of the directory.
        case fileSystem
    }

    /// Writes `bytes` to `path` so that readers see either nothing or the
    /// whole file: a temporary name in the same directory, renamed over
    /// `path`, flushed as `durability` says.
    package static func writeAtomically(
        _ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durability: Durability = .file
    ) throws(SystemError) {
        let temporary = "\(Path.parent(of: path))/.\(Path.lastComponent(of: path)).tmp-\(system_getpid())"
        let fd = system_open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw .last("create", path: temporary) }
        do throws(SystemError) {
            try writeAll(fd, bytes, path: temporary)
            guard system_fchmod(fd, mode) == 0 else { throw SystemError.last("change the mode of", path: temporary) }
            switch durability {
            case .none: break
            case .file: guard fsync(fd) == 0 else { throw SystemError.last("flush", path: temporary) }
            case .fileSystem:
                guard sf_syncfs(fd) == 0 else { throw SystemError.last("flush the file system of", path: temporary) }
            }
            system_close(fd)
            try rename(temporary, to: path)
        } catch {
            system_close(fd)
            system_unlink(temporary)
            throw error
        }
        if durability != .none { syncDirectory(Path.parent(of: path)) }
    }

    /// Writes every byte, retrying short writes and `EINTR`.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SystemError) {
        let outcome = bytes.withUnsafeBytes { buffer in
            Result { () throws(SystemError) in try writeAll(fd, buffer, path: path) }
        }
        try outcome.get()
    }

    /// Writes every byte of `buffer`, retrying short writes and `EINTR`.
    package static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws(SystemError) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = system_write(fd, base + offset, buffer.count - offset)
            if written < 0 {
                if currentErrno() == EINTR { continue }
                throw .last("write", path: path)
            }
            offset += written
        }
    }

    /// Flushes every file of the file system holding `path` (one `syncfs`
    /// instead of an fsync per file), before a tree is published by rename.
    package static func syncFileSystem(containing path: String) throws(SystemError) {
        let fd = system_open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .last("open", path: path) }
        defer { system_close(fd) }
        guard sf_syncfs(fd) == 0 else { throw .last("flush the file system of", path: path) }
    }

    /// Flushes a directory's entries (after a rename into it). Best effort.
    package static func syncDirectory(_ path: String) {
        let fd = system_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        system_close(fd)
    }

    /// Removes `path` and everything under it, making read-only directories
    /// writable first. A missing path is fine.
    ///
    /// Works relative to directory descriptors opened with `O_NOFOLLOW`, so a
    /// process that swaps a directory for a symlink while the tree is being
    /// removed cannot redirect the removal outside it. Iterative, with one
    /// directory open at a time: a tree of any depth (a job can nest
    /// directories a hundred thousand deep) costs neither stack nor
    /// descriptors. The way back up is `..` of the directory just emptied,
    /// checked to be the very directory it was entered from.
    package static func removeTree(_ path: String) throws(SystemError) {
        // A tree still changing (a process of the job's user renaming in it)
        // can fail one pass: an emptied directory swapped for a link, an entry
        // that reappears. Start again, a few times.
        var passes = 0
        while true {
            do throws(SystemError) {
                return try removeTreeOnce(path)
            } catch {
                passes += 1
                guard passes < 3, [ENOTDIR, ENOTEMPTY, ESTALE, EISDIR].contains(error.errno) else { throw error }
            }
        }
    }

    private static func removeTreeOnce(_ path: String) throws(SystemError) {
        let root = system_open(Path.parent(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            if currentErrno() == ENOENT { return }
            throw .last("open directory", path: Path.parent(of: path))
        }
        var current = root
        defer { system_close(current) }
        /// One directory on the way down: who it is, its name in its parent,
        /// and the names in it still to remove.
        struct Level {
            var device: UInt64
            var inode: UInt64
            var name: [CChar]
            var pending: [[CChar]]
        }
        var levels = [Level(device: 0, inode: 0, name: [], pending: [Array(Path.lastComponent(of: path).utf8CString)])]
        func display(_ name: [CChar]) -> String {
            let parts = levels.dropFirst().map(\.name) + [name]
            return parts.reduce(path == "/" ? "" : Path.parent(of: path)) {
                $0 + "/" + String(decoding: $1.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        while let last = levels.indices.last {
            guard let name = levels[last].pending.popLast() else {
                // Every entry of `current` is gone: climb to its parent and remove it.
                guard last > 0 else { return }
                let finished = levels.removeLast()
                let parent = system_openat(current, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard parent >= 0 else { throw .last("open directory", path: display([46, 46, 0])) }
                system_close(current)
                current = parent
                if levels.count > 1 {
                    var info = stat()
                    guard system_fstat(parent, &info) == 0, UInt64(info.st_dev) == levels[levels.count - 1].device,
                        UInt64(info.st_ino) == levels[levels.count - 1].inode
                    else {
                        throw SystemError(operation: "climb back to", path: display([]), errno: ESTALE)
                    }
                }
                guard unlinkat(current, finished.name, AT_REMOVEDIR) == 0 || currentErrno() == ENOENT else {
                    throw .last("remove directory", path: display(finished.name))
                }
                continue
            }
            if unlinkat(current, name, 0) == 0 { continue }
            switch currentErrno() {
            case ENOENT: continue
            case EISDIR: break
            default: throw .last("remove", path: display(name))
            }
            let directory = system_openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard directory >= 0 else { throw .last("open directory", path: display(name)) }
            var info = stat()
            guard system_fstat(directory, &info) == 0 else {
                system_close(directory)
                throw .last("inspect directory", path: display(name))
            }
            if (info.st_mode & 0o700) != 0o700 { _ = system_fchmod(directory, (info.st_mode & 0o7777) | 0o700) }
            let duplicate = system_fcntl(directory, F_DUPFD_CLOEXEC, 0)
            guard duplicate >= 0, let stream = fdopendir(duplicate) else {
                if duplicate >= 0 { system_close(duplicate) }
                system_close(directory)
                throw .last("read directory", path: display(name))
            }
            let children = rawNames(in: stream)
            closedir(stream)
            levels.append(Level(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), name: name, pending: children))
            system_close(current)
            current = directory
        }
    }

    /// The NUL-terminated names in a directory stream, without `.` and `..`.
    private static func rawNames(in stream: OpaquePointer) -> [[CChar]] {
        var names: [[CChar]] = []
        while let entry = readdir(stream) {
            let name: [CChar] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix { $0 != 0 }.map { CChar(bitPattern: $0) } + [0]
            }
            if name != [46, 0] && name != [46, 46, 0] { names.append(name) }
        }
        return names
    }

    private static func names(in stream: OpaquePointer) -> [String] {
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The names in a directory, without `.` and `..`, in no particular order.
    package static func directoryEntries(_ path: String) throws(SystemError) -> [String] {
        guard let directory = opendir(path) else { throw .last("open directory", path: path) }
        defer { closedir(directory) }
        return names(in: directory)
    }
}
