import AgentSystem
import CArchive

#if canImport(Glibc)
import Glibc
#endif

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
package struct ArtifactError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is. Codes may be added in later versions.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Storage: Hashable, Sendable {
            case notADirectory
            case unreadableArtifact
            case artifactChanged
            case invalidOptions
            case writeFailed
            case publishFailed
            case limitExceeded
            case secretFound
            case readerFailed
        }

        private let storage: Storage

        private init(_ storage: Storage) {
            self.storage = storage
        }

        /// The artifacts path exists but is not a directory (a symlink to a
        /// directory counts as not a directory: it is never followed).
        package static var notADirectory: Self { .init(.notADirectory) }
        /// An artifact or a directory under the artifacts directory could not be read.
        package static var unreadableArtifact: Self { .init(.unreadableArtifact) }
        /// A file was replaced, or shrank, between being listed and being read.
        package static var artifactChanged: Self { .init(.artifactChanged) }
        /// libarchive refused the format, filter or compression level.
        package static var invalidOptions: Self { .init(.invalidOptions) }
        /// The temporary archive could not be created, written or flushed.
        package static var writeFailed: Self { .init(.writeFailed) }
        /// The finished archive could not be hashed or renamed to its final name.
        package static var publishFailed: Self { .init(.publishFailed) }

        /// The artifacts exceed `artifacts.max_bytes` or `artifacts.max_files`;
        /// ``ArtifactError/excess`` says which and by how much.
        package static var limitExceeded: Self { .init(.limitExceeded) }
        /// Artifacts hold a secret and `artifacts.scan_secrets = fail`;
        /// ``ArtifactError/secretPaths`` lists them.
        package static var secretFound: Self { .init(.secretFound) }
        /// The reader of the artifacts (``ArtifactReader``) could not start,
        /// could not take the job's privileges, found no `openat2` (Linux
        /// 5.6) or died; nothing was archived.
        package static var readerFailed: Self { .init(.readerFailed) }

        /// A short, stable name for logs and result files ("write-failed").
        package var description: String {
            switch storage {
            case .notADirectory: "not-a-directory"
            case .unreadableArtifact: "unreadable-artifact"
            case .artifactChanged: "artifact-changed"
            case .invalidOptions: "invalid-options"
            case .writeFailed: "write-failed"
            case .publishFailed: "publish-failed"
            case .limitExceeded: "limit-exceeded"
            case .secretFound: "secret-found"
            case .readerFailed: "reader-failed"
            }
        }
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
    package var description: String {
        let sentence: String
        switch code {
        case .notADirectory: sentence = "The artifacts directory \(path) is not a directory: \(reason)"
        case .unreadableArtifact: sentence = "Cannot read the artifact \(path): \(reason)"
        case .artifactChanged: sentence = "The artifact \(path) changed while it was being archived: \(reason)"
        case .invalidOptions: sentence = "Cannot configure the artifacts archive \(path): \(reason)"
        case .writeFailed: sentence = "Cannot write the artifacts archive \(path): \(reason)"
        case .readerFailed: sentence = "Cannot read the artifacts directory \(path): \(reason)"
        case .limitExceeded, .secretFound: sentence = reason
        default: sentence = "Cannot publish the artifacts archive \(path): \(reason)"
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
            let system = String(cString: strerror(number))
            if !reason.contains(system) { reason += " (\(system))" }
        }
        return ArtifactError(code: code, path: path, reason: reason, errno: number)
    }

    /// An error from the calling thread's `errno`, right after `operation` failed.
    static func lastSystemError(_ code: Code, path: String, operation: String) -> ArtifactError {
        let number = currentErrno()
        return ArtifactError(
            code: code, path: path, reason: "\(operation): \(String(cString: strerror(number)))", errno: number)
    }

    /// An error wrapping one of the shared ``SystemError``s.
    static func system(_ code: Code, path: String, _ error: SystemError) -> ArtifactError {
        ArtifactError(code: code, path: path, reason: error.description, errno: error.errno)
    }
}
