import AgentSystem
import CArchive

/// Why the artifacts could not be archived.
///
/// The ``description`` is a full sentence naming the path and the reason,
/// libarchive's own message where libarchive failed:
///
/// ```swift
/// do {
///     _ = try ArtifactArchiver(compression: .gzip).archive(directory: "/job/artifacts", into: "/output")
/// } catch {
///     print(error)
///     // Cannot write the artifacts archive /output/artifacts.tar.gz: Write error (No space left on device).
///     if error.code == .writeFailed { /* out of space, read-only output, … */ }
/// }
/// ```
///
/// Whatever the code, no file was left under the archive's final name.
package struct ArtifactError: AgentError {
    /// What kind of failure this is; the raw value is the name logs show.
    package enum Code: String, Sendable, CaseIterable {
        /// The artifacts path exists but is not a directory (a symlink to a
        /// directory counts as not a directory: it is never followed).
        case notADirectory = "not-a-directory"
        /// An artifact or a directory under the artifacts directory could not be read.
        case unreadableArtifact = "unreadable-artifact"
        /// A file was replaced, or shrank, between being listed and being read.
        case artifactChanged = "artifact-changed"
        /// libarchive refused the format, filter or compression level.
        case invalidOptions = "invalid-options"
        /// The temporary archive could not be created, written or flushed.
        case writeFailed = "write-failed"
        /// The finished archive could not be hashed or renamed to its final name.
        case publishFailed = "publish-failed"
        /// The artifacts exceed `artifacts.max_bytes` or `artifacts.max_files`;
        /// ``ArtifactError/excess`` says which and by how much.
        case limitExceeded = "limit-exceeded"
        /// Artifacts hold a secret and `artifacts.scan_secrets = fail`;
        /// ``ArtifactError/secretPaths`` lists them.
        case secretFound = "secret-found"
        /// The reader of the artifacts (``ArtifactReader``) could not start,
        /// could not take the job's privileges, found no `openat2` (Linux
        /// 5.6) or died; nothing was archived.
        case readerFailed = "reader-failed"
    }

    /// What kind of failure this is.
    package var code: Code
    /// The path concerned: the artifact for read failures, else the archive's final path.
    package var path: String
    /// Why, as libarchive or the system said it.
    package var reason: String
    /// The `errno` behind the failure, or 0 if there was none.
    package var errno: Int32
    /// For ``Code/limitExceeded``: the limit and what the artifacts hold.
    package var excess: LimitExcess?
    /// For ``Code/secretFound``: the artifacts that hold a secret.
    package var secretPaths: [String] = []

    /// Creates an error; the archiver is the usual source of one.
    package init(code: Code, path: String, reason: String, errno: Int32 = 0) {
        self.code = code
        self.path = path
        self.reason = reason
        self.errno = errno
    }

    /// A full sentence naming the path and the reason.
    package var message: String {
        let sentence: String
        switch code {
        case .notADirectory: sentence = "The artifacts directory \(path) is not a directory: \(reason)"
        case .unreadableArtifact: sentence = "Cannot read the artifact \(path): \(reason)"
        case .artifactChanged: sentence = "The artifact \(path) changed while it was being archived: \(reason)"
        case .invalidOptions: sentence = "Cannot configure the artifacts archive \(path): \(reason)"
        case .writeFailed: sentence = "Cannot write the artifacts archive \(path): \(reason)"
        case .readerFailed: sentence = "Cannot read the artifacts directory \(path): \(reason)"
        case .publishFailed: sentence = "Cannot publish the artifacts archive \(path): \(reason)"
        case .limitExceeded, .secretFound: sentence = reason
        }
        return sentence.hasSuffix(".") ? sentence : sentence + "."
    }
}

extension ArtifactError {
    /// An error from libarchive's last message and errno on `archive`.
    static func libarchive(_ code: Code, path: String, archive: OpaquePointer) -> ArtifactError {
        let number = archive_errno(archive)
        var reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
        if number != 0 {
            let system = SystemError.reason(number)
            if !reason.contains(system) { reason += " (\(system))" }
        }
        return ArtifactError(code: code, path: path, reason: reason, errno: number)
    }

    /// An error from `errno` (the calling thread's unless given), right after `operation` failed.
    static func lastSystemError(
        _ code: Code, path: String, operation: String, errno number: Int32 = currentErrno()
    ) -> ArtifactError {
        ArtifactError(code: code, path: path, reason: "\(operation): \(SystemError.reason(number))", errno: number)
    }

    /// An error wrapping one of the shared ``SystemError``s.
    static func system(_ code: Code, path: String, _ error: SystemError) -> ArtifactError {
        ArtifactError(code: code, path: path, reason: error.description, errno: error.errno)
    }
}
