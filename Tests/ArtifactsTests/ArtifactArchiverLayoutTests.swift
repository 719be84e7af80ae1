import Artifacts
import Foundation
import TestSupport
import Testing

/// Which directory is archived, and where the archive goes.
@Suite(.timeLimit(.minutes(10)))
struct ArtifactArchiverLayoutTests {
    @Test(arguments: ArtifactCompression.allCases)
    func emptyDirectoryGivesAValidEmptyArchive(compression: ArtifactCompression) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")

        let summary = try ArtifactArchiver(compression: compression).archive(directory: artifacts, into: output)

        #expect(summary.entries == 0)
        #expect(summary.skipped.isEmpty)
        #expect(summary.bytes > 0)
        #expect(try Tar.names(summary.path, compression).isEmpty)
    }

    @Test(arguments: ArtifactCompression.allCases)
    func missingDirectoryGivesAValidEmptyArchive(compression: ArtifactCompression) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let output = try scratch.subdirectory("output")

        let summary = try ArtifactArchiver(compression: compression)
            .archive(directory: scratch.path + "/never-created", into: output)

        #expect(summary.entries == 0)
        #expect(try Tar.names(summary.path, compression).isEmpty)
    }

    @Test func trailingSlashesNameTheSameDirectory() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try FileManager.default.createDirectory(atPath: artifacts + "/sub", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: artifacts + "/sub/x.txt"))

        let summary = try ArtifactArchiver(compression: .none).archive(directory: artifacts + "//", into: output)

        #expect(Set(try Tar.names(summary.path, .none)) == ["sub/", "sub/x.txt"])
    }

    @Test func archiveInsideTheArtifactsDirectoryIsNotArchivedItself() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        try Data("r".utf8).write(to: URL(fileURLWithPath: artifacts + "/report.txt"))

        let summary = try ArtifactArchiver(compression: .gzip).archive(directory: artifacts, into: artifacts)

        #expect(summary.entries == 1)
        #expect(try Tar.names(summary.path, .gzip) == ["report.txt"])
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: artifacts)) == ["report.txt", "artifacts.tar.gz"])
    }

    @Test func staleTemporaryFileAndOldArchiveAreReplaced() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try Data("new".utf8).write(to: URL(fileURLWithPath: artifacts + "/new.txt"))
        try Data("junk".utf8).write(to: URL(fileURLWithPath: output + "/.artifacts.tar.zst.tmp-\(getpid())"))
        try Data("junk".utf8).write(to: URL(fileURLWithPath: output + "/artifacts.tar.zst"))

        let summary = try ArtifactArchiver(compression: .zstd).archive(directory: artifacts, into: output)

        #expect(try Tar.names(summary.path, .zstd) == ["new.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == ["artifacts.tar.zst"])
    }

    @Test(.requiresRoot) func mountPointsAreStoredButNotEntered() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try Data("here".utf8).write(to: URL(fileURLWithPath: artifacts + "/here.txt"))
        let mount = try TmpfsMount(at: artifacts + "/mnt", options: "size=1m")
        defer { mount.unmount() }
        try Data("elsewhere".utf8).write(to: URL(fileURLWithPath: artifacts + "/mnt/elsewhere.txt"))

        let summary = try ArtifactArchiver(compression: .none).archive(directory: artifacts, into: output)

        #expect(Set(try Tar.names(summary.path, .none)) == ["here.txt", "mnt/"])
    }

    /// Entries come sorted bytewise by name within each directory, whatever
    /// order the file system lists them in, so that the same tree gives the
    /// same archive.
    @Test func entriesAreSortedBytewiseWithinEachDirectory() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        for name in ["b", "a", "B", "\u{e4}", "a.txt", "a-b"] {
            try Data(name.utf8).write(to: URL(fileURLWithPath: artifacts + "/" + name))
        }
        try FileManager.default.createDirectory(atPath: artifacts + "/sub/z", withIntermediateDirectories: true)
        try Data("y".utf8).write(to: URL(fileURLWithPath: artifacts + "/sub/y"))

        let summary = try ArtifactArchiver(compression: .none).archive(directory: artifacts, into: output)

        #expect(
            try Tar.names(summary.path, .none) == ["B", "a", "a-b", "a.txt", "b", "sub/", "sub/y", "sub/z/", "\u{e4}"])
    }
}
