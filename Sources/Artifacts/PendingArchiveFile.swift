import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// The temporary file an archive is written to before it is published.
///
/// Created as `.<name>.tmp-<pid>` next to the final name with
/// `O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC`, mode 0644. ``publish()`` renames it
/// over the final name; if that never happens the file is closed and
/// unlinked in `deinit`, so a failure leaves nothing behind. Nothing here
/// flushes it to disk: the job's `result.json` flushes the whole output file
/// system before it is published (`ResultWriter`), and `sf-agent archive`
/// does the same at its end, one flush instead of one per file.
final class PendingArchiveFile {
    /// The open descriptor; valid until ``publish()`` or `deinit`.
    let fileDescriptor: Int32
    /// The temporary path.
    let temporaryPath: String
    /// The path it is published under.
    let finalPath: String
    private var published = false

    init(directory: String, name: String) throws(ArtifactError) {
        finalPath = Path.join(directory, name)
        temporaryPath = Path.join(directory, ".\(name).tmp-\(ProcessIdentity.processID)")
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var descriptor = system_open(temporaryPath, flags, 0o644)
        if descriptor < 0 && currentErrno() == EEXIST {
            // Left by an earlier run with our pid (PID 1 in a container). It is
            // ours by name; unlink removes a planted symlink, not its target.
            system_unlink(temporaryPath)
            descriptor = system_open(temporaryPath, flags, 0o644)
        }
        guard descriptor >= 0 else {
            throw .lastSystemError(.writeFailed, path: finalPath, operation: "cannot create \(temporaryPath)")
        }
        fileDescriptor = descriptor
        // The umask may have narrowed 0644; archives are meant to be read.
        system_fchmod(descriptor, 0o644)
    }

    deinit {
        if !published {
            system_close(fileDescriptor)
            system_unlink(temporaryPath)
        }
    }

    /// The device and inode of the temporary file, to keep it out of a walk
    /// of a directory that contains it.
    func identity() throws(ArtifactError) -> (device: UInt64, inode: UInt64) {
        let status = try status()
        return (status.device, status.inode)
    }

    /// The size in bytes.
    func size() throws(ArtifactError) -> Int {
        try status().size
    }

    private func status() throws(ArtifactError) -> FileStatus {
        do { return try FileSystem.status(descriptor: fileDescriptor, path: temporaryPath) } catch {
            throw .lastSystemError(
                .writeFailed, path: finalPath, operation: "cannot stat \(temporaryPath)", errno: error.errno)
        }
    }

    /// Renames the file to its final name.
    func publish() throws(ArtifactError) {
        guard system_close(fileDescriptor) == 0 else {
            published = true
            system_unlink(temporaryPath)
            throw .lastSystemError(.writeFailed, path: finalPath, operation: "cannot close \(temporaryPath)")
        }
        published = true
        do throws(SystemError) {
            try FileSystem.rename(temporaryPath, to: finalPath)
        } catch {
            system_unlink(temporaryPath)
            throw .system(.publishFailed, path: finalPath, error)
        }
    }
}
