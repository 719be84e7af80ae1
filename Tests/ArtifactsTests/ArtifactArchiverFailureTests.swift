import Artifacts
import Foundation
import TestSupport
import Testing

/// Every failure throws, and leaves no file under the archive's final name.
@Suite(.timeLimit(.minutes(10)))
struct ArtifactArchiverFailureTests {
    @Test func missingOutputDirectory() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = scratch.path + "/no-such-output"

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .gzip).archive(directory: artifacts, into: output)
        }

        #expect(error.code == .writeFailed)
        #expect(error.errno == ENOENT)
        #expect(error.description.contains(output + "/artifacts.tar.gz"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(.requiresRoot) func readOnlyOutputDirectory() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        try Data("a".utf8).write(to: URL(fileURLWithPath: artifacts + "/a.txt"))
        // Root ignores mode bits, so a read-only mount stands in for "not writable".
        let mount = try TmpfsMount(at: scratch.path + "/output", options: "ro,size=1m")
        defer { mount.unmount() }

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .zstd).archive(directory: artifacts, into: mount.path)
        }

        #expect(error.code == .writeFailed)
        #expect(error.errno == EROFS)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).isEmpty)
    }

    @Test(.requiresRoot, arguments: ArtifactCompression.allCases)
    func fullFileSystem(compression: ArtifactCompression) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        try SampleTree.pseudoRandomBytes(count: 3 * 1024 * 1024, seed: 7)
            .write(to: URL(fileURLWithPath: artifacts + "/random.bin"))
        let mount = try TmpfsMount(at: scratch.path + "/output", options: "size=1m")
        defer { mount.unmount() }

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: compression).archive(directory: artifacts, into: mount.path)
        }

        #expect(error.code == .writeFailed)
        #expect(error.errno == ENOSPC)
        #expect(error.description.contains("No space left on device"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).isEmpty)
    }

    @Test(arguments: [(ArtifactCompression.gzip, 42), (.zstd, 1000)])
    func rejectedCompressionLevel(compression: ArtifactCompression, level: Int) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: compression, level: level).archive(directory: artifacts, into: output)
        }

        #expect(error.code == .invalidOptions)
        #expect(error.description.contains("compression level \(level)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
    }

    @Test func artifactsPathIsAFile() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let output = try scratch.subdirectory("output")
        let file = scratch.path + "/artifacts"
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: file))

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .gzip).archive(directory: file, into: output)
        }

        #expect(error.code == .notADirectory)
        #expect(error.path == file)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
    }

    @Test(arguments: ["", "/"])
    func artifactsPathIsASymlinkToADirectory(suffix: String) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let output = try scratch.subdirectory("output")
        let link = scratch.path + "/artifacts"
        #expect(symlink("/etc", link) == 0)

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .gzip).archive(directory: link + suffix, into: output)
        }

        #expect(error.code == .notADirectory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
    }

    /// The reader holds one descriptor per level: past 256 levels it stops
    /// with an error naming the directory, and nothing is published.
    @Test func aTreeDeeperThanTheBoundIsRefusedNamingTheDirectory() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        let deep = artifacts + String(repeating: "/d", count: 300)
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)

        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .none).archive(directory: artifacts, into: output)
        }

        #expect(error.code == .unreadableArtifact)
        #expect(error.path == artifacts + String(repeating: "/d", count: 257))
        #expect(error.description.contains("nested deeper than 256 directories"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
    }
}
