import Artifacts
import Foundation
import TestSupport
import Testing

/// The reader runs with the job's privileges: what the job's user may not
/// read is left out and listed, and what the job made unreadable to itself
/// (mode 000) is still read, as its owner, and archived with that mode.
@Suite(.requiresRoot, .timeLimit(.minutes(10)))
struct ArtifactReaderPrivilegeTests {
    static let runner = ArtifactReader.Identity(uid: 10001, gid: 10001, groups: [10001])

    @Test func entriesTheJobsUserMayNotReadAreListedNotArchived() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        chmod(scratch.path, 0o755)
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try Data("ours\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/ok.txt"))
        try FileManager.default.createDirectory(atPath: artifacts + "/rootdir", withIntermediateDirectories: true)
        try Data("root-only-contents\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/rootdir/file"))
        try Data("root-only-contents\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/secret.txt"))
        try Command.check("/bin/chown", ["-R", "10001:10001", artifacts])
        try Command.check("/bin/chown", ["-R", "0:0", artifacts + "/rootdir", artifacts + "/secret.txt"])
        chmod(artifacts + "/rootdir", 0o700)
        chmod(artifacts + "/secret.txt", 0o600)

        let summary = try ArtifactArchiver(compression: .none, writesManifest: true)
            .archive(directory: artifacts, into: output, readingAs: Self.runner)

        #expect(try Tar.names(summary.path, .none) == ["ok.txt"])
        #expect(summary.unreadable.map(\.path) == ["rootdir", "secret.txt"])
        #expect(
            summary.unreadable.allSatisfy { $0.reason.contains("may not open it: Permission denied") },
            "\(summary.unreadable)")
        for name in ["artifacts.tar", "manifest.json"] {
            let data = try #require(FileManager.default.contents(atPath: output + "/" + name))
            #expect(data.range(of: Data("root-only-contents".utf8)) == nil, "\(name)")
        }
    }

    @Test func theJobsOwnModeZeroEntriesAreReadAndKeepTheirMode() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        chmod(scratch.path, 0o755)
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try FileManager.default.createDirectory(atPath: artifacts + "/locked/inner", withIntermediateDirectories: true)
        try Data("inside\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/locked/inner/file.txt"))
        try Data("hidden\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/unreadable.txt"))
        try Command.check("/bin/chown", ["-R", "10001:10001", artifacts])
        for path in ["unreadable.txt", "locked/inner", "locked"] { chmod(artifacts + "/" + path, 0) }

        let summary = try ArtifactArchiver(compression: .none, writesManifest: true)
            .archive(directory: artifacts, into: output, readingAs: Self.runner)

        #expect(summary.unreadable.isEmpty, "\(summary.unreadable)")
        #expect(
            try Tar.names(summary.path, .none) == [
                "locked/", "locked/inner/", "locked/inner/file.txt", "unreadable.txt",
            ])
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: output + "/manifest.json")))
        let entries = try #require((manifest as? [String: Any])?["entries"] as? [[String: Any]])
        let modes = Dictionary(
            uniqueKeysWithValues: entries.map { ($0["path"] as? String ?? "", $0["mode"] as? String ?? "") })
        #expect(
            modes == [
                "locked": "0000", "locked/inner": "0000", "locked/inner/file.txt": "0644", "unreadable.txt": "0000",
            ])
        let extracted = try scratch.subdirectory("extracted")
        try Tar.extract(summary.path, .none, into: extracted)
        #expect(FileManager.default.contents(atPath: extracted + "/locked/inner/file.txt") == Data("inside\n".utf8))
        #expect(FileManager.default.contents(atPath: extracted + "/unreadable.txt") == Data("hidden\n".utf8))
    }
}
