import Artifacts
import Foundation
import TestSupport
import Testing

/// A tree with every kind of entry, archived and read back with GNU tar.
@Suite(.timeLimit(.minutes(10)))
struct ArtifactArchiverRoundTripTests {
    @Test(arguments: ArtifactCompression.allCases)
    func gnuTarReadsBackTheTree(compression: ArtifactCompression) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        let big = try SampleTree.create(in: artifacts)

        // A fifo in the tree must neither hang the archiver nor be archived.
        let summary = try ArtifactArchiver(compression: compression).archive(directory: artifacts, into: output)

        #expect(summary.path == output + "/" + compression.fileName)
        #expect(summary.entries == SampleTree.expectedEntries.count)
        #expect(summary.skipped == ["pipe"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == [compression.fileName])
        let attributes = try FileManager.default.attributesOfItem(atPath: summary.path)
        #expect((attributes[.size] as? Int) == summary.bytes)
        let sha = try Command.tool("sha256sum", [summary.path]).stdout.prefix(64)
        #expect(String(sha) == summary.sha256)

        let names = try Tar.names(summary.path, compression)
        #expect(names.count == SampleTree.expectedEntries.count)
        #expect(Set(names) == SampleTree.expectedEntries)
        let listing = try Tar.verboseListing(summary.path, compression)
        #expect(listing.contains("links/passwd -> /etc/passwd"))
        #expect(listing.contains("links/relative -> ../\(SampleTree.unicodeName)"))
        #expect(listing.contains("-rwxr-xr-x"))

        let extracted = try scratch.subdirectory("extracted")
        try Tar.extract(summary.path, compression, into: extracted)
        let files = FileManager.default
        #expect(files.contents(atPath: extracted + "/big.bin") == big)
        #expect(files.contents(atPath: extracted + "/empty") == Data())
        #expect(files.contents(atPath: extracted + "/" + SampleTree.unicodeName) == Data("grüße\n".utf8))
        #expect(files.contents(atPath: extracted + "/nested/deeper/data.txt") == Data("deep\n".utf8))
        #expect(try mode(extracted + "/run.sh") == 0o755)
        #expect(try lstatOf(extracted + "/old.txt").st_mtim.tv_sec == SampleTree.oldMtime)
        #expect(try lstatOf(extracted + "/links/passwd").st_mode & S_IFMT == S_IFLNK)
        #expect(try files.destinationOfSymbolicLink(atPath: extracted + "/links/passwd") == "/etc/passwd")
        #expect(
            try files.destinationOfSymbolicLink(atPath: extracted + "/links/relative") == "../" + SampleTree.unicodeName
        )
        #expect(!files.fileExists(atPath: extracted + "/pipe"))
    }

    @Test(arguments: [(ArtifactCompression.gzip, 1), (.gzip, 9), (.zstd, 1), (.zstd, 19), (.none, 5)])
    func explicitLevelsGiveReadableArchives(compression: ArtifactCompression, level: Int) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try Data("level\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/a.txt"))

        let summary = try ArtifactArchiver(compression: compression, level: level)
            .archive(directory: artifacts, into: output)

        #expect(summary.entries == 1)
        #expect(try Tar.names(summary.path, compression) == ["a.txt"])
    }

    private func lstatOf(_ path: String) throws -> stat {
        var info = stat()
        try #require(lstat(path, &info) == 0)
        return info
    }

    private func mode(_ path: String) throws -> mode_t {
        try lstatOf(path).st_mode & 0o7777
    }
}
