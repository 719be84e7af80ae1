import Artifacts
import ConfigKeys
import Foundation
import Secrets
import TestSupport
import Testing

/// Limits, manifest, secret scanning and zstd threads.
@Suite(.timeLimit(.minutes(10)))
struct ArtifactPolicyTests {
    @Test func limitsTable() {
        let limits = ArtifactLimits(maximumBytes: 100, maximumEntries: 3)
        let table: [(bytes: Int, entries: Int, excess: LimitExcess?)] = [
            (100, 3, nil),
            (101, 1, LimitExcess(key: .artifactsMaxBytes, limit: 100, actual: 101)),
            (0, 4, LimitExcess(key: .artifactsMaxFiles, limit: 3, actual: 4)),
            (500, 9, LimitExcess(key: .artifactsMaxBytes, limit: 100, actual: 500)),
        ]
        for row in table { #expect(limits.excess(bytes: row.bytes, entries: row.entries) == row.excess, "\(row)") }
        #expect(ArtifactLimits().excess(bytes: .max, entries: .max) == nil)
        #expect(LimitExcess(key: .artifactsMaxFiles, limit: 10, actual: 25).over == 15)
    }

    @Test(arguments: [
        (ArtifactLimits(maximumBytes: 1000), ConfigKey.artifactsMaxBytes, 3000, 2000),
        (ArtifactLimits(maximumEntries: 2), ConfigKey.artifactsMaxFiles, 4, 2),
    ])
    func overALimitNothingIsPublished(limits: ArtifactLimits, key: ConfigKey, actual: Int, over: Int) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try FileManager.default.createDirectory(atPath: artifacts + "/dir", withIntermediateDirectories: true)
        for name in ["a", "b", "dir/c"] {
            try Data(repeating: 0x41, count: 1000).write(to: URL(fileURLWithPath: artifacts + "/" + name))
        }
        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .zstd, limits: limits, writesManifest: true).archive(
                directory: artifacts, into: output)
        }
        #expect(error.code == .limitExceeded)
        #expect(error.excess == LimitExcess(key: key, limit: key == .artifactsMaxBytes ? 1000 : 2, actual: actual))
        #expect(error.excess?.over == over)
        #expect(error.description.contains("\(over) over"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: output).isEmpty,
            "no archive, no manifest, no temporary file")
    }

    @Test func manifestDigestsMatchSha256sum() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        try FileManager.default.createDirectory(atPath: artifacts + "/sub", withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/sub/hello.txt"))
        try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(
            to: URL(fileURLWithPath: artifacts + "/data.bin"))
        try FileManager.default.createSymbolicLink(atPath: artifacts + "/link", withDestinationPath: "sub/hello.txt")
        chmod(artifacts + "/data.bin", 0o600)

        let summary = try ArtifactArchiver(compression: .gzip, writesManifest: true).archive(
            directory: artifacts, into: output)
        let manifestPath = try #require(summary.manifestPath)
        #expect(manifestPath == output + "/manifest.json")
        #expect(summary.fileBytes == 200_006)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            as? [String: Any]
        let entries = try #require(json?["entries"] as? [[String: Any]])
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0["path"] as? String ?? "", $0) })
        #expect(Set(byPath.keys) == ["sub", "sub/hello.txt", "data.bin", "link"])
        for path in ["sub/hello.txt", "data.bin"] {
            let expected = try Command.tool("sha256sum", [artifacts + "/" + path]).stdout.prefix(64)
            #expect(byPath[path]?["sha256"] as? String == String(expected), "\(path)")
            #expect(byPath[path]?["type"] as? String == "file")
        }
        #expect(byPath["data.bin"]?["mode"] as? String == "0600")
        #expect(byPath["data.bin"]?["size"] as? Int == 200_000)
        #expect(byPath["link"]?["type"] as? String == "symlink")
        #expect(byPath["link"]?["target"] as? String == "sub/hello.txt")
        #expect(byPath["sub"]?["type"] as? String == "directory")
        #expect(byPath["sub"]?["sha256"] is NSNull)
    }

    /// Names JSON must escape, non-ASCII names and a name that is not UTF-8
    /// (listed with U+FFFD) still give a manifest that parses.
    @Test func manifestOfAwkwardNamesIsValidJSON() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        let names = ["quote\"back\\slash", "line\nbreak\ttab\u{1}", "caf\u{e9}.txt"]
        for name in names {
            try Data("x".utf8).write(to: URL(fileURLWithPath: artifacts + "/" + name))
            chmod(artifacts + "/" + name, 0o644)
        }
        let raw = Array((artifacts + "/bad-").utf8) + [0xff, 0]
        let fd = raw.withUnsafeBytes {
            open($0.baseAddress!.assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644)
        }
        #expect(fd >= 0)
        fchmod(fd, 0o644)
        close(fd)

        let summary = try ArtifactArchiver(compression: .zstd, threads: 1, writesManifest: true).archive(
            directory: artifacts, into: output)
        let manifestPath = try #require(summary.manifestPath)
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            as? [String: Any]
        let entries = try #require(json?["entries"] as? [[String: Any]])
        #expect(Set(entries.compactMap { $0["path"] as? String }) == Set(names + ["bad-\u{fffd}"]))
        #expect(entries.allSatisfy { $0["mode"] as? String == "0644" })
    }

    @Test func secretsInTextArtifactsAreFoundAcrossBlocks() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        let secret = "s3cret-value-42"
        // The secret straddles the 64 KiB block boundary.
        let straddling = String(repeating: "x", count: 64 * 1024 - 5) + secret + "\n"
        try Data(straddling.utf8).write(to: URL(fileURLWithPath: artifacts + "/log.txt"))
        try Data("clean\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/clean.txt"))
        try Data([0, 1, 2] + Array(secret.utf8)).write(to: URL(fileURLWithPath: artifacts + "/blob.bin"))
        let masker = SecretMasker(values: [Array(secret.utf8)])

        let warned = try ArtifactArchiver(compression: .none, secretScan: SecretScan(masker: masker, failOnFind: false))
            .archive(directory: artifacts, into: output)
        #expect(warned.secretPaths == ["log.txt"], "binary files are not searched")

        let failing = try scratch.subdirectory("failing")
        let error = try #require(throws: ArtifactError.self) {
            try ArtifactArchiver(compression: .none, secretScan: SecretScan(masker: masker, failOnFind: true))
                .archive(directory: artifacts, into: failing)
        }
        #expect(error.code == .secretFound)
        #expect(error.secretPaths == ["log.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: failing).isEmpty)
    }

    @Test func multiThreadedZstdReadsBack() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        let text = Data(String(repeating: "a line of text that compresses well\n", count: 200_000).utf8)
        try text.write(to: URL(fileURLWithPath: artifacts + "/big.txt"))
        let summary = try ArtifactArchiver(compression: .zstd, level: 3, threads: 4).archive(
            directory: artifacts, into: output)
        #expect(summary.bytes < text.count / 10)
        let extracted = try scratch.subdirectory("extracted")
        let untar = try Command.tool("tar", ["--zstd", "-xf", summary.path, "-C", extracted])
        #expect(untar.status == 0, "\(untar.stderr)")
        #expect(FileManager.default.contents(atPath: extracted + "/big.txt") == text)
    }

    @Test func tenThousandSmallFilesAndASparseFileRoundTrip() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        let output = try scratch.subdirectory("output")
        for directory in 0..<10 {
            let path = artifacts + "/d\(directory)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for file in 0..<1000 {
                try Data("file \(directory)/\(file)\n".utf8).write(to: URL(fileURLWithPath: "\(path)/f\(file).txt"))
            }
        }
        try FileManager.default.createDirectory(atPath: artifacts + "/empty-dir", withIntermediateDirectories: true)
        // Mostly holes: 64 MiB long, a few bytes written at the end.
        let sparse = FileManager.default.createFile(atPath: artifacts + "/sparse.img", contents: nil)
        #expect(sparse)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: artifacts + "/sparse.img"))
        try handle.seek(toOffset: 64 << 20)
        try handle.write(contentsOf: Data("end".utf8))
        try handle.close()

        let summary = try ArtifactArchiver(compression: .zstd, threads: 2, writesManifest: true).archive(
            directory: artifacts, into: output)
        #expect(summary.entries == 10 + 10_000 + 1 + 1)
        let extracted = try scratch.subdirectory("extracted")
        #expect(try Command.tool("tar", ["--zstd", "-xf", summary.path, "-C", extracted]).status == 0)
        let diff = try Command.tool("diff", ["-r", artifacts, extracted])
        #expect(diff.status == 0, "\(diff.stdout.prefix(500))")
    }
}
