/// What ``ArtifactArchiver/archive(directory:into:)`` published.
///
/// ```swift
/// let summary = try archiver.archive(directory: "/job/artifacts", into: "/output")
/// print("\(summary.path): \(summary.bytes) bytes, sha256 \(summary.sha256)")
/// for path in summary.skipped { print("not archived (not a file, directory or symlink): \(path)") }
/// for entry in summary.unreadable { print("not archived: \(entry.path): \(entry.reason)") }
/// ```
///
/// Every path is relative to the artifacts directory, with secret values masked.
package struct ArchiveSummary: Sendable, Equatable {
    /// The absolute or relative path of the published archive, as
    /// `outputDirectory/<compression.fileName>`.
    package var path: String
    /// The archive's size in bytes.
    package var bytes: Int
    /// The lowercase hex SHA-256 of the archive file.
    package var sha256: String
    /// How many entries were written: directories, regular files and symlinks.
    package var entries: Int
    /// Paths, relative to the artifacts directory, of devices, sockets and
    /// fifos that were left out of the archive (never opened), in walk order.
    package var skipped: [String]
    /// The published `manifest.json`, when one was written.
    package var manifestPath: String? = nil
    /// Total size of the regular files archived, before compression.
    package var fileBytes = 0
    /// Artifacts that hold a secret in their contents, name or symlink
    /// target (`artifacts.scan_secrets = warn`).
    package var secretPaths: [String] = []
    /// Entries left out because the reader could not open or list them, or
    /// they changed while it read (a directory swapped for a symlink, a file
    /// removed, one the job's user may not read), in walk order.
    package var unreadable: [UnreadArtifact] = []
    /// Each regular file archived with its SHA-256, in walk order (for provenance).
    package var fileDigests: [FileDigest] = []

    /// Creates a summary; the archiver is the usual source of one.
    package init(path: String, bytes: Int, sha256: String, entries: Int, skipped: [String]) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
        self.entries = entries
        self.skipped = skipped
    }
}
