import Artifacts
import Foundation
import TestSupport
import Testing

/// The same files, modified at other times and owned by another user, give
/// the same archive and manifest bytes once normalised; zstd gives the same
/// bytes for any thread count; gzip stores no time.
@Suite(.timeLimit(.minutes(10)))
struct ArchiveDeterminismTests {
    static let epoch: Int64 = 1_500_000_000

    /// Two copies of the sample tree: the second touched now (with
    /// nanoseconds) and, as root, owned by another uid.
    func twoTrees(in scratch: TemporaryDirectory) throws -> (String, String) {
        let first = try scratch.subdirectory("first")
        let second = try scratch.subdirectory("second")
        try SampleTree.create(in: first)
        try SampleTree.create(in: second)
        let walker = FileManager.default.enumerator(atPath: second)
        while let relative = walker?.nextObject() as? String {
            let path = second + "/" + relative
            if relative == "old.txt" || relative == "pipe" { continue }
            var times = [
                timespec(tv_sec: time(nil) + 77, tv_nsec: 123_456_789),
                timespec(tv_sec: time(nil) + 77, tv_nsec: 123_456_789),
            ]
            #expect(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0)
            if geteuid() == 0 { #expect(lchown(path, 12345, 12345) == 0) }
        }
        return (first, second)
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test(arguments: ArtifactCompression.allCases)
    func normalisedArchivesOfTheSameFilesAreIdentical(compression: ArtifactCompression) throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let (first, second) = try twoTrees(in: scratch)
        let archiver = ArtifactArchiver(
            compression: compression, threads: 2, writesManifest: true,
            normalization: ArchiveNormalization(sourceDateEpoch: Self.epoch))
        let one = try archiver.archive(directory: first, into: try scratch.subdirectory("one"))
        let two = try archiver.archive(directory: second, into: try scratch.subdirectory("two"))
        #expect(one.sha256 == two.sha256)
        #expect(try bytes(one.path) == bytes(two.path))
        #expect(try bytes(try #require(one.manifestPath)) == bytes(try #require(two.manifestPath)))

        // Owner 0:0 without names, times clamped to the epoch, an older time kept.
        let listing = try Command.tool(
            "tar", Tar.flags(compression) + ["--numeric-owner", "--full-time", "-tvf", one.path]
        ).stdout
        for line in listing.split(separator: "\n") { #expect(line.contains(" 0/0 "), "\(line)") }
        let extracted = try scratch.subdirectory("extracted")
        try Tar.extract(one.path, compression, into: extracted)
        var info = stat()
        #expect(stat(extracted + "/run.sh", &info) == 0)
        #expect(Int64(info.st_mtim.tv_sec) == Self.epoch && info.st_mtim.tv_nsec == 0)
        #expect(stat(extracted + "/old.txt", &info) == 0)
        #expect(Int64(info.st_mtim.tv_sec) == Int64(SampleTree.oldMtime))
    }

    @Test func withoutNormalisationOwnersAndTimesAreKept() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let (first, second) = try twoTrees(in: scratch)
        let archiver = ArtifactArchiver(compression: .none)
        let one = try archiver.archive(directory: first, into: try scratch.subdirectory("one"))
        let two = try archiver.archive(directory: second, into: try scratch.subdirectory("two"))
        #expect(one.sha256 != two.sha256)
    }

    @Test func zstdBytesDoNotDependOnTheThreadCount() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let tree = try scratch.subdirectory("tree")
        try SampleTree.create(in: tree)
        // Compressible data too, over several 4 MiB jobs.
        try Data(String(repeating: "line of a log that repeats itself\n", count: 400_000).utf8)
            .write(to: URL(fileURLWithPath: tree + "/log.txt"))
        var digests: Set<String> = []
        for threads in [nil, 1, 2, 4] as [Int?] {
            let summary = try ArtifactArchiver(
                compression: .zstd, level: 3, threads: threads,
                normalization: ArchiveNormalization(sourceDateEpoch: Self.epoch)
            ).archive(directory: tree, into: try scratch.subdirectory("out-\(threads ?? 0)"))
            digests.insert(summary.sha256)
        }
        #expect(digests.count == 1)
    }

    @Test func gzipStoresNoTimeAndNoName() throws {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let tree = try scratch.subdirectory("tree")
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: tree + "/x.txt"))
        let summary = try ArtifactArchiver(compression: .gzip).archive(
            directory: tree, into: try scratch.subdirectory("out"))
        let header = [UInt8](try bytes(summary.path).prefix(10))
        #expect(header[0] == 0x1f && header[1] == 0x8b)
        #expect(header[3] & 0x08 == 0, "FNAME set")
        #expect(header[4..<8].allSatisfy { $0 == 0 }, "MTIME \(header[4..<8])")
    }

    @Test func clampKeepsEarlierTimesAndTakesLaterOnesToTheEpoch() {
        let rule = ArchiveNormalization(sourceDateEpoch: 100)
        #expect(rule.modificationTime(seconds: 50) == 50)
        #expect(rule.modificationTime(seconds: 100) == 100)
        #expect(rule.modificationTime(seconds: 101) == 100)
    }

    @Test func sourceDateEpochFromTheEnvironment() throws {
        #expect(try ArchiveNormalization.fromEnvironment(nil).get() == nil)
        #expect(
            try ArchiveNormalization.fromEnvironment("1700000000").get()
                == ArchiveNormalization(sourceDateEpoch: 1_700_000_000))
        for bad in ["", "-1", "1.5", "17e8", " 1"] {
            #expect(throws: ArtifactError.self) { try ArchiveNormalization.fromEnvironment(bad).get() }
        }
    }
}
