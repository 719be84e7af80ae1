import AgentSystem
import ArgumentParser
import Artifacts
import Launch

/// `sf-agent archive DIR OUTPUT`: archives a directory exactly as a job's
/// artifacts are archived (for benchmarks and for checking settings).
///
/// The reader runs as `--user`; as root the default is the owner of DIR,
/// as a job's artifacts are read as the job's user.
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive DIR into OUTPUT/artifacts.tar.* (with manifest.json) as a job's artifacts would be.")

    @Argument(help: "The directory to archive.") var directory: String
    @Argument(help: "The folder the archive and manifest.json are written to.") var output: String
    @Option(help: "gzip, zstd or none.") var compression: String = "zstd"
    @Option(help: "Compression level; the filter's default when omitted.") var level: Int?
    @Option(
        help: "zstd threads (1: one libzstd worker beside the reading thread); the bytes are the same for any number.")
    var threads: Int = 1
    @Option(
        help: ArgumentHelp(
            "Normalise the archive for reproducible bytes: owner 0:0, times clamped to these seconds since 1970 "
                + "(default: $SOURCE_DATE_EPOCH when set; without either, owners and times are kept).",
            valueName: "seconds"))
    var sourceDateEpoch: Int64?
    @Option(
        help: ArgumentHelp(
            "Who reads DIR: NAME, UID or UID:GID. As root the default is DIR's owner; otherwise the agent's own user.",
            valueName: "user"))
    var user: String?

    func validate() throws {
        guard ArtifactCompression(rawValue: compression) != nil else {
            throw ValidationError("--compression must be gzip, zstd or none.")
        }
        if let user, !ProcessIdentity.isRoot, let identity = try? Self.identity(user),
            identity.uid != ProcessIdentity.effectiveUserID
        {
            throw ValidationError(
                "--user \(user): only root can read as another user; this process runs as uid \(ProcessIdentity.effectiveUserID)."
            )
        }
    }

    func run() throws {
        var normalization: ArchiveNormalization?
        if let sourceDateEpoch {
            normalization = ArchiveNormalization(sourceDateEpoch: sourceDateEpoch)
        } else {
            switch ArchiveNormalization.fromEnvironment(ProcessEnvironment.current()["SOURCE_DATE_EPOCH"]) {
            case .success(let fromEnvironment): normalization = fromEnvironment
            case .failure(let error):
                Console.error(error.description)
                throw ExitCode(64)
            }
        }
        guard let compression = ArtifactCompression(rawValue: compression) else {
            throw ValidationError("--compression must be gzip, zstd or none.")
        }
        let archiver = ArtifactArchiver(
            compression: compression, level: level, threads: threads,
            writesManifest: true, normalization: normalization)
        let reader: ArtifactReader.Identity?
        do {
            reader = try user.map(Self.identity) ?? Self.defaultIdentity(of: directory)
        } catch {
            Console.error("--user \(user ?? ""): \(error)")
            throw ExitCode(64)
        }
        let summary: ArchiveSummary
        do { summary = try archiver.archive(directory: directory, into: output, readingAs: reader) } catch {
            Console.error(error.description)
            throw ExitCode(74)
        }
        // The archiver flushes nothing itself (a job's result.json flushes its folder): on disk before the summary.
        do { try FileSystem.syncFileSystem(containing: output) } catch {
            Console.error("Cannot flush \(summary.path) to disk: \(error).")
            throw ExitCode(74)
        }
        print(
            "\(summary.path) \(summary.bytes) bytes, \(summary.entries) entries, \(summary.fileBytes) bytes of files, sha256 \(summary.sha256)"
        )
        for entry in summary.unreadable {
            Console.error("not archived: \(entry.path): \(entry.reason)")
        }
    }

    /// `NAME` (its groups from the group database), `UID:GID` (groups
    /// `[GID]`) or `UID` (as the password database has it, else `UID:UID`).
    static func identity(_ spec: String) throws -> ArtifactReader.Identity {
        let user: RunUser
        if !spec.isEmpty, spec.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let uid = UInt32(spec) {
            let login = try? UserDatabase.user(id: uid)
            user = try login.map { try RunUser.lookup($0.name) } ?? RunUser(uid: uid, gid: uid, groups: [uid])
        } else {
            user = try RunUser.lookup(spec)
        }
        return ArtifactReader.Identity(uid: user.uid, gid: user.gid, groups: user.groups)
    }

    /// As root: the owner of `directory` (its group, and no other), unless
    /// that is root or the directory is missing; else the process's own user.
    static func defaultIdentity(of directory: String) -> ArtifactReader.Identity? {
        guard ProcessIdentity.isRoot, let status = try? FileSystem.linkStatus(directory), status.owner != 0 else {
            return nil
        }
        return ArtifactReader.Identity(uid: status.owner, gid: status.group, groups: [status.group])
    }
}
