import AgentSystem
import ArgumentParser
import Artifacts

/// `sf-agent archive DIR OUTPUT`: archives a directory exactly as a job's
/// artifacts are archived (for benchmarks and for checking settings).
struct ArchiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive DIR into OUTPUT/artifacts.tar.* (with manifest.json) as a job's artifacts would be.")

    @Argument(help: "The directory to archive.") var directory: String
    @Argument(help: "The folder the archive and manifest.json are written to.") var output: String
    @Option(help: "gzip, zstd or none.") var compression: String = "zstd"
    @Option(help: "Compression level; the filter's default when omitted.") var level: Int?
    @Option(help: "zstd threads (1: one compressing thread beside the reading one, no libzstd workers).") var threads: Int = 1

    func validate() throws {
        guard ArtifactCompression(rawValue: compression) != nil else {
            throw ValidationError("--compression must be gzip, zstd or none.")
        }
    }

    func run() throws {
        let archiver = ArtifactArchiver(
            compression: ArtifactCompression(rawValue: compression) ?? .zstd, level: level, threads: threads,
            writesManifest: true)
        do {
            let summary = try archiver.archive(directory: directory, into: output)
            print("\(summary.path) \(summary.bytes) bytes, \(summary.entries) entries, \(summary.fileBytes) bytes of files, sha256 \(summary.sha256)")
        } catch {
            Console.error(error.description)
            throw ExitCode(74)
        }
    }
}
