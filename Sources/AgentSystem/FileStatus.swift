#if canImport(Glibc)
import Glibc
#endif

/// What `stat(2)` says about a file, as Swift values.
///
/// ```swift
/// let status = try FileSystem.linkStatus("/output/job-1")
/// status.kind          // .directory (a symbolic link would be .symbolicLink)
/// status.permissions   // 0o755
/// ```
package struct FileStatus: Sendable, Equatable {
    /// The file type (`st_mode & S_IFMT`).
    package enum Kind: Sendable, Equatable {
        case regular, directory, symbolicLink, fifo, socket, characterDevice, blockDevice, unknown
    }

    package var kind: Kind
    /// The permission bits, set-id and sticky bits included (`st_mode & 0o7777`).
    package var permissions: UInt32
    /// The size in bytes.
    package var size: Int
    /// The owner's uid.
    package var owner: UInt32
    /// The owning group's gid.
    package var group: UInt32
    /// The device holding the file; with ``inode``, the file's identity.
    package var device: UInt64
    package var inode: UInt64
    /// Bytes allocated on disk (`st_blocks` × 512).
    package var allocatedBytes: Int64
    /// The last modification of the contents.
    package var modificationTime: Timestamp

    /// The fields of a filled `struct stat`.
    package init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        default: kind = .unknown
        }
        permissions = UInt32(info.st_mode & 0o7777)
        size = Int(info.st_size)
        owner = info.st_uid
        group = info.st_gid
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        allocatedBytes = Int64(info.st_blocks) * 512
        modificationTime = Timestamp(seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
    }
}

extension FileSystem {
    /// The status of `path`, symbolic links followed (`stat`).
    ///
    /// - Throws: ``SystemError`` "cannot inspect PATH: …".
    package static func status(_ path: String) throws(SystemError) -> FileStatus {
        var info = stat()
        guard system_stat(path, &info) == 0 else { throw .last("inspect", path: path) }
        return FileStatus(info)
    }

    /// The status of `path` itself, a symbolic link not followed (`lstat`).
    ///
    /// - Throws: ``SystemError`` "cannot inspect PATH: …".
    package static func linkStatus(_ path: String) throws(SystemError) -> FileStatus {
        var info = stat()
        guard system_lstat(path, &info) == 0 else { throw .last("inspect", path: path) }
        return FileStatus(info)
    }

    /// The status of an open descriptor (`fstat`); `path` names it in the error.
    package static func status(descriptor: Int32, path: String) throws(SystemError) -> FileStatus {
        var info = stat()
        guard system_fstat(descriptor, &info) == 0 else { throw .last("inspect", path: path) }
        return FileStatus(info)
    }
}
