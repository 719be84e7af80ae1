import Artifacts
import Pipeline
import Testing

@Suite struct FolderVerdictTests {
    let digest = String(repeating: "a", count: 64)
    let other = String(repeating: "b", count: 64)

    var archive: [ArchiveContents.Entry] {
        [
            .init(path: "logs", type: "directory", size: 0, mode: 0o755),
            .init(path: "logs/run.txt", type: "file", size: 3, mode: 0o644, sha256: digest),
            .init(path: "latest", type: "symlink", size: 0, mode: 0o777, target: "logs/run.txt"),
        ]
    }

    var manifest: [RecordedFiles.Manifest.Entry] {
        [
            .init(path: "logs", type: "directory", size: 0, mode: "0755"),
            .init(path: "logs/run.txt", type: "file", size: 3, mode: "0644", sha256: digest),
            .init(path: "latest", type: "symlink", size: 0, mode: "0777", target: "logs/run.txt"),
        ]
    }

    @Test func aMatchingManifestHasNoMismatch() {
        #expect(FolderVerdict.compare(manifest: manifest, archive: archive, archiveName: "a.tar").isEmpty)
    }

    @Test func eachDifferenceIsNamed() {
        var changed = manifest
        changed[1].sha256 = other
        changed[1].mode = "0600"
        changed[2].target = "elsewhere"
        let found = FolderVerdict.compare(manifest: changed, archive: archive, archiveName: "a.tar").map(\.description)
        #expect(found.count == 2)
        #expect(found[0].contains("logs/run.txt") && found[0].contains(other) && found[0].contains("mode 0600"))
        #expect(found[1].contains("target elsewhere"))
        #expect(
            !FolderVerdict.compare(manifest: Array(manifest.prefix(2)), archive: archive, archiveName: "a.tar").isEmpty)
    }

    @Test func subjectsAreTheArchiveThenItsFiles() {
        let good: [RecordedFiles.Provenance.Subject] = [
            .init(name: "a.tar", digest: .init(sha256: other)),
            .init(name: "logs/run.txt", digest: .init(sha256: digest)),
        ]
        #expect(
            FolderVerdict.compare(subjects: good, archive: archive, archiveName: "a.tar", archiveSHA256: other).isEmpty)
        var bad = good
        bad[1].digest.sha256 = other
        let found = FolderVerdict.compare(subjects: bad, archive: archive, archiveName: "a.tar", archiveSHA256: other)
        #expect(found.count == 1 && found[0].file == "provenance.json" && found[0].message.contains("logs/run.txt"))
    }
}
