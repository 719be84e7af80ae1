import AgentSystem
import Artifacts
import Report

extension JobRecord {
    /// `result.json`'s `artifacts` for a published archive.
    static func artifactsResult(_ summary: ArchiveSummary) -> JobResult.Artifacts {
        var artifacts = JobResult.Artifacts(
            file: Path.lastComponent(of: summary.path), bytes: summary.bytes, sha256: summary.sha256,
            entries: summary.entries, skipped: summary.skipped)
        artifacts.manifest = summary.manifestPath.map(Path.lastComponent)
        artifacts.fileBytes = summary.fileBytes
        artifacts.secretFiles = summary.secretPaths
        artifacts.unreadable = summary.unreadable.map {
            JobResult.Artifacts.Unreadable(path: $0.path, reason: $0.reason)
        }
        return artifacts
    }
}
