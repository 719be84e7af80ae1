import Artifacts

/// The pure comparisons of `sf-agent verify`: what was recorded against
/// what was recomputed, each difference a sentence naming the file.
package enum FolderVerdict {
    /// One difference found.
    package struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        /// The file at fault (`manifest.json`, `artifacts.tar.gz`, …).
        package var file: String
        package var message: String

        package init(_ file: String, _ message: String) {
            self.file = file
            self.message = message
        }

        package var description: String { "\(file): \(message)" }
    }

    /// `manifest.json` against the archive read back: the same entries, in
    /// the same order, with the same type, size, mode, digest and target.
    package static func compare(
        manifest: [RecordedFiles.Manifest.Entry], archive: [ArchiveContents.Entry], archiveName: String
    ) -> [Mismatch] {
        var found: [Mismatch] = []
        if manifest.count != archive.count {
            found.append(
                Mismatch("manifest.json", "lists \(manifest.count) entries, but \(archiveName) holds \(archive.count)"))
        }
        for (listed, stored) in zip(manifest, archive) {
            guard listed.path == stored.path else {
                found.append(
                    Mismatch("manifest.json", "lists `\(listed.path)` where \(archiveName) holds `\(stored.path)`"))
                continue
            }
            var differences: [String] = []
            if listed.type != stored.type { differences.append("type \(listed.type) listed, \(stored.type) stored") }
            if listed.size != stored.size { differences.append("size \(listed.size) listed, \(stored.size) stored") }
            if listed.mode != octal(stored.mode) {
                differences.append("mode \(listed.mode) listed, \(octal(stored.mode)) stored")
            }
            if listed.sha256 != stored.sha256 {
                differences.append("SHA-256 \(listed.sha256 ?? "none") listed, \(stored.sha256 ?? "none") stored")
            }
            if listed.target != stored.target {
                differences.append("target \(listed.target ?? "none") listed, \(stored.target ?? "none") stored")
            }
            if !differences.isEmpty {
                found.append(Mismatch("manifest.json", "`\(listed.path)`: " + differences.joined(separator: "; ")))
            }
        }
        return found
    }

    /// The provenance's subjects: the archive with its digest, then every
    /// regular file of the archive with the digest of its contents.
    package static func compare(
        subjects: [RecordedFiles.Provenance.Subject], archive: [ArchiveContents.Entry], archiveName: String,
        archiveSHA256: String
    ) -> [Mismatch] {
        var expected = [(archiveName, archiveSHA256)]
        expected += archive.filter { $0.type == "file" }.map { ($0.path, $0.sha256 ?? "") }
        var found: [Mismatch] = []
        let recorded = subjects.map { ($0.name, $0.digest.sha256 ?? "") }
        if recorded.count != expected.count {
            found.append(
                Mismatch(
                    "provenance.json",
                    "names \(recorded.count) subjects, but the archive and its files are \(expected.count)"))
        }
        for (subject, actual) in zip(recorded, expected) where subject != actual {
            found.append(
                Mismatch(
                    "provenance.json",
                    "subject `\(subject.0)` (SHA-256 \(subject.1)) does not match `\(actual.0)` (SHA-256 \(actual.1))"))
        }
        return found
    }

    /// The provenance's materials against `result.json`: the repository at
    /// its commit and the script with its digest.
    package static func compare(dependencies: [RecordedFiles.Provenance.Dependency], result: RecordedFiles.Result)
        -> [Mismatch]
    {
        var found: [Mismatch] = []
        let repository = dependencies.first { $0.name == "repository" }
        if repository?.digest.gitCommit != result.commit {
            found.append(
                Mismatch(
                    "provenance.json",
                    "the repository material is at commit \(repository?.digest.gitCommit ?? "none"), result.json says \(result.commit ?? "none")"
                ))
        }
        let script = dependencies.first { $0.name == "script" }
        if script?.digest.sha256 != result.script?.sha256 {
            found.append(
                Mismatch(
                    "provenance.json",
                    "the script material has SHA-256 \(script?.digest.sha256 ?? "none"), result.json says \(result.script?.sha256 ?? "none")"
                ))
        }
        if let script, let commit = result.commit, let path = result.script?.path,
            !script.uri.hasSuffix("@\(commit)#\(path)")
        {
            found.append(Mismatch("provenance.json", "the script material `\(script.uri)` is not \(path) at \(commit)"))
        }
        return found
    }

    /// `result.json`'s counts against the archive read back.
    package static func compare(artifacts: RecordedFiles.Result.Artifacts, archive: [ArchiveContents.Entry])
        -> [Mismatch]
    {
        var found: [Mismatch] = []
        if artifacts.entries != archive.count {
            found.append(
                Mismatch(
                    "result.json",
                    "artifacts.entries is \(artifacts.entries), but \(artifacts.file) holds \(archive.count) entries"))
        }
        let fileBytes = archive.filter { $0.type == "file" }.reduce(0) { $0 + $1.size }
        if artifacts.fileBytes != fileBytes {
            found.append(
                Mismatch(
                    "result.json",
                    "artifacts.file_bytes is \(artifacts.fileBytes), but the files in \(artifacts.file) hold \(fileBytes)"
                ))
        }
        return found
    }

    /// A mode as the manifest writes it: four octal digits.
    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
