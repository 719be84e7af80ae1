import AgentSystem
import CArchive
import ConfigKeys
import Secrets

/// Packs a job's artifacts directory into one pax tar archive.
///
/// ```swift
/// let archiver = ArtifactArchiver(compression: .zstd, level: 3)
/// let summary = try archiver.archive(directory: "/job/artifacts", into: "/output")
/// // summary.path == "/output/artifacts.tar.zst"
/// ```
///
/// - The files are read by an ``ArtifactReader``: a child process with the
///   job's privileges (``archive(directory:into:readingAs:landlockRuleset:)``)
///   that never follows a symlink anywhere in the walk; the archiver only
///   writes what it sends.
/// - Entries are named relative to the artifacts directory (`report.txt`,
///   `logs/`, `logs/run.txt`), sorted bytewise by name within each
///   directory; the directory itself is not an entry. Secret values in
///   names and symlink targets are masked (``masker``) in the archive, the
///   manifest and the summary alike.
/// - Directories, regular files and symlinks are archived with their mode,
///   numeric and named owner and mtime. Symlinks are stored as links and never
///   followed, whatever they point at; mount points below the directory are
///   stored but not entered. Devices, sockets and fifos are never opened and
///   are listed in ``ArchiveSummary/skipped``; entries the reader could not
///   open (or that changed under it) are left out and listed in
///   ``ArchiveSummary/unreadable``.
/// - File contents are streamed through a pipe, so memory does not grow
///   with file size.
/// - The archive is written to a temporary file in the output directory,
///   flushed, hashed and renamed into place: on any failure nothing is left
///   under the final name.
package struct ArtifactArchiver: Sendable {
    /// The compression filter applied to the tar stream.
    package var compression: ArtifactCompression
    /// The filter's compression level (gzip 0–9, zstd as libarchive allows),
    /// or `nil` for the filter's default. Ignored for ``ArtifactCompression/none``.
    package var level: Int?
    /// zstd threads (`nil`: compress on the calling thread; 1: on one thread
    /// of its own; more: that many libzstd workers).
    package var threads: Int?
    /// Bounds past which nothing is published.
    package var limits: ArtifactLimits
    /// Searching text artifacts for secrets, if wanted.
    package var secretScan: SecretScan?
    /// Whether `manifest.json` is written beside the archive.
    package var writesManifest: Bool
    /// Masks secret values in entry names and symlink targets, wherever they
    /// are written (tar headers, `manifest.json`, the summary). With
    /// ``secretScan``, a name or target holding a secret is a find too.
    package var masker: SecretMasker
    /// Owner and modification times normalised (``ArchiveNormalization``)
    /// so that the same files give the same archive bytes; nil keeps them
    /// as the files have them.
    package var normalization: ArchiveNormalization?
    /// TESTS ONLY: the reader opens without `O_NOFOLLOW` or `RESOLVE_*`
    /// flags, following symlinks, so that a test can show the job's user
    /// alone keeps a swapped-in link from reaching what the job cannot read.
    var followsLinksForTesting = false

    /// An archiver writing `compression`'s file name at `level`.
    ///
    /// ```swift
    /// ArtifactArchiver(compression: .gzip)            // default level
    /// ArtifactArchiver(compression: .zstd, level: 19, threads: 4, limits: ArtifactLimits(maximumBytes: 1 << 30))
    /// ```
    package init(
        compression: ArtifactCompression, level: Int? = nil, threads: Int? = nil,
        limits: ArtifactLimits = ArtifactLimits(),
        secretScan: SecretScan? = nil, writesManifest: Bool = false, masker: SecretMasker = .none,
        normalization: ArchiveNormalization? = nil
    ) {
        self.normalization = normalization
        self.compression = compression
        self.level = level
        self.threads = threads
        self.limits = limits
        self.secretScan = secretScan
        self.writesManifest = writesManifest
        self.masker = masker
    }

    /// Streams `directory`'s contents into `outputDirectory/<compression.fileName>`.
    ///
    /// A missing `directory` gives a valid empty archive; a `directory` that
    /// exists but is not a directory (a symlink included) is an error. An
    /// existing archive under the final name is replaced atomically.
    ///
    /// ```swift
    /// let summary = try ArtifactArchiver(compression: .gzip)
    ///     .archive(directory: "/job/artifacts", into: "/output")
    /// print(summary.entries, summary.bytes, summary.sha256, summary.skipped)
    /// ```
    ///
    /// The reader runs as `identity` (the job's user: needs a root agent,
    /// unless it is the agent's own uid; `nil` reads as the agent) and, with
    /// `landlockRuleset` (a Landlock ruleset descriptor the caller owns and
    /// keeps open for the call), inside that Landlock domain: a race the
    /// reader loses can then expose only what the job could read itself.
    ///
    /// ```swift
    /// let runner = ArtifactReader.Identity(uid: 10001, gid: 10001, groups: [10001])
    /// let summary = try archiver.archive(directory: "/work/job-1/artifacts", into: "/output/job-1", readingAs: runner)
    /// ```
    ///
    /// - Throws: ``ArtifactError``; no file is then left under the final name.
    package func archive(
        directory: String, into outputDirectory: String, readingAs identity: ArtifactReader.Identity? = nil,
        landlockRuleset: Int32? = nil
    ) throws(ArtifactError) -> ArchiveSummary {
        let finalPath = Path.join(outputDirectory, compression.fileName)
        let root = Self.withoutTrailingSlashes(directory)
        return try ThreadLocale.withUTF8CharacterType { () throws(ArtifactError) -> ArchiveSummary in
            let writer = try ArchiveWriter(
                compression: compression, level: level, threads: threads, archivePath: finalPath)
            let rootExists = try Self.checkArtifactsDirectory(root)
            let pending = try PendingArchiveFile(directory: outputDirectory, name: compression.fileName)
            let manifest = writesManifest ? try ManifestWriter(directory: outputDirectory) : nil
            try writer.open(fileDescriptor: pending.fileDescriptor)
            var contents = WalkResult()
            if rootExists {
                var excluded = [try pending.identity()]
                if let manifest { excluded.append(try manifest.identity()) }
                let reader = try ArtifactReader(
                    root: root, identity: identity, landlockRuleset: landlockRuleset, excluding: excluded,
                    followsLinksForTesting: followsLinksForTesting)
                contents = try Self.writeEntries(
                    from: reader, to: writer, archivePath: finalPath,
                    options: WalkOptions(
                        limits: limits, secretScan: secretScan, manifest: manifest, masker: masker,
                        normalization: normalization))
            }
            if let excess = contents.excess {
                var error = ArtifactError(
                    code: .limitExceeded, path: finalPath,
                    reason: "The artifacts exceed \(excess.key) = \(excess.limit): they hold \(excess.actual) "
                        + (excess.key == .artifactsMaxBytes ? "bytes" : "entries")
                        + ", \(excess.over) over; no archive was published")
                error.excess = excess
                throw error
            }
            if let secretScan, secretScan.failOnFind, !contents.secretPaths.isEmpty {
                var error = ArtifactError(
                    code: .secretFound, path: finalPath,
                    reason: "Artifacts hold a secret value (\(ConfigKey.artifactsScanSecrets) = fail): "
                        + contents.secretPaths.joined(separator: ", ") + "; no archive was published")
                error.secretPaths = contents.secretPaths
                throw error
            }
            try writer.close()
            let bytes = try pending.size()
            var sha256 = writer.writtenSHA256 ?? ""
            if sha256.isEmpty {
                do throws(SystemError) {
                    sha256 = try Digest.sha256(ofFile: pending.temporaryPath)
                } catch {
                    throw .system(.publishFailed, path: finalPath, error)
                }
            }
            try manifest?.publish()
            do throws(ArtifactError) {
                try pending.publish()
            } catch {
                if let manifest { try? FileSystem.removeFile(manifest.finalPath) }
                throw error
            }
            var summary = ArchiveSummary(
                path: finalPath, bytes: bytes, sha256: sha256, entries: contents.entries, skipped: contents.skipped)
            summary.manifestPath = manifest?.finalPath
            summary.fileBytes = contents.fileBytes
            summary.secretPaths = contents.secretPaths
            summary.unreadable = contents.unread
            summary.fileDigests = contents.fileDigests
            return summary
        }
    }

    /// Whether the artifacts directory exists; throws if something else is there.
    private static func checkArtifactsDirectory(_ path: String) throws(ArtifactError) -> Bool {
        let status: FileStatus
        do { status = try FileSystem.linkStatus(path) } catch {
            if error.isNotFound { return false }
            throw .lastSystemError(.unreadableArtifact, path: path, operation: "cannot inspect it", errno: error.errno)
        }
        switch status.kind {
        case .directory:
            return true
        case .symbolicLink:
            throw ArtifactError(
                code: .notADirectory, path: path, reason: "it is a symbolic link, which is never followed")
        default:
            throw ArtifactError(code: .notADirectory, path: path, reason: "it is not a directory")
        }
    }

    /// `path` without trailing slashes, so a symlink is not followed by `lstat`.
    private static func withoutTrailingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1 && result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
