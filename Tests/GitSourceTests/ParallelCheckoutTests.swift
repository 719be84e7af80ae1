import Foundation
import TestSupport
import Testing

@testable import GitSource

/// A checkout big enough for several writing threads and for the walk to
/// close finished directories on the way (more than
/// `CheckoutWriter.maximumOpenDirectories`): byte for byte and mode for mode
/// what `git archive | tar -x` writes, every directory 0555.
@Suite struct ParallelCheckoutTests {
    @Test(arguments: [1, 3])
    func manyDirectoriesAndFilesMatchGitArchive(threads: Int) throws {
        let scratch = try TemporaryDirectory("sf-parallel")
        let root = scratch.path
        let origin = root + "/origin"
        try FileManager.default.createDirectory(atPath: origin, withIntermediateDirectories: true)
        try Shell.git("init", "-q", "-b", "main", in: origin)
        var fileCount = 0
        for top in 0..<20 {
            for inner in 0..<16 {
                let folder = "\(origin)/t\(top)/d\(inner)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for index in 0..<(1 + (top + inner) % 3) {
                    let path = "\(folder)/f\(index)\(index == 2 ? ".sh" : ".txt")"
                    try String(repeating: "line \(top) \(inner) \(index)\n", count: 1 + (top * inner) % 400)
                        .write(toFile: path, atomically: false, encoding: .utf8)
                    if index == 2 { chmod(path, 0o755) }
                    fileCount += 1
                }
            }
        }
        try FileManager.default.createSymbolicLink(atPath: origin + "/t0/link", withDestinationPath: "d0/f0.txt")
        try Shell.git("add", "-A", in: origin)
        try Shell.git("commit", "-q", "-m", "many", in: origin)
        let commit = try Shell.git("rev-parse", "HEAD", in: origin)
        #expect(20 * 16 > CheckoutWriter.maximumOpenDirectories, "the walk must close directories on the way")
        #expect(fileCount / BlobFileWriter.minimumFilesPerThread >= 4, "enough files for every thread")

        let cache = GitCache(directory: root + "/cache")
        _ = try cache.resolve(url: origin, ref: .commit(commit))
        let repository = try #require(try cache.openRepository(for: origin, create: false))
        let id = try #require(ObjectID(hex: commit))
        let object = try #require(try repository.object(id))
        var writer = CheckoutWriter(repository: repository)
        writer.threads = threads
        let written = root + "/written"
        try writer.write(try object.commitTree(), to: written)

        let reference = root + "/reference"
        try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: true)
        try Shell.run(["sh", "-c", "git -C '\(origin)' archive \(commit) | tar -x -C '\(reference)'"])
        try Shell.run(["diff", "-r", "--no-dereference", reference, written])
        // Modes: files 0444/0555, the symlink kept, directories 0555.
        let listing = try Shell.run(["find", written, "-printf", "%y %m %P\\n"])
        var directories = 0
        for line in String(decoding: listing, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            switch parts[0] {
            case "d":
                directories += 1
                #expect(parts[1] == "555", "\(line)")
            case "f": #expect(parts[1] == (parts.count > 2 && parts[2].hasSuffix(".sh") ? "555" : "444"), "\(line)")
            case "l": #expect(parts.count > 2 && parts[2] == "t0/link", "\(line)")
            default: Issue.record("unexpected entry \(line)")
            }
        }
        #expect(directories == 1 + 20 + 20 * 16)
    }

    @Test func aMissingBlobStopsEveryThreadAndReportsDamage() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        _ = try origin.cache.resolve(url: origin.path, ref: .shortName("v1"))
        let repository = try #require(try origin.cache.openRepository(for: origin.path, create: false))
        let target = origin.root + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let fd = open(target, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        let missing = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let jobs = (0..<100).map { index in
            BlobFileWriter.Job(
                directory: fd, name: Array("never-\(index)".utf8), id: missing, mode: 0o444, path: "never-\(index)")
        }
        do {
            try BlobFileWriter(jobs: jobs, repositoryPath: repository.gitDirectory, threads: 2).run(using: repository)
            Issue.record("a missing blob must fail the checkout")
        } catch {
            #expect(error.damaged)
            #expect(error.reason.contains("missing from the cache"), "\(error.reason)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }
}
