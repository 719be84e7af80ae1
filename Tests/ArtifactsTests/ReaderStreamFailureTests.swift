import AgentSystem
import Artifacts
import Foundation
import TestSupport
import Testing

/// Failures of the pipe from the artifacts reader that no real pipe gives
/// on demand, forced on the archiving thread through AgentSystem's mocking hook.
@Suite(.timeLimit(.minutes(10)))
struct ReaderStreamFailureTests {
    func sampleArtifacts(in scratch: TemporaryDirectory) throws -> String {
        let artifacts = try scratch.subdirectory("artifacts")
        try Data("a".utf8).write(to: URL(fileURLWithPath: artifacts + "/a.txt"))
        try SampleTree.pseudoRandomBytes(count: 300_000, seed: 3).write(to: URL(fileURLWithPath: artifacts + "/b.bin"))
        return artifacts
    }

    /// An I/O error on the pipe fails the archive with the reader's errno,
    /// and leaves nothing in the output folder.
    @Test func anIOErrorReadingFromTheReaderIsReported() throws {
        let scratch = try TemporaryDirectory("sf-reader-stream")
        let artifacts = try sampleArtifacts(in: scratch)
        let output = try scratch.subdirectory("output")

        let error = MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EIO, on: ["read"])
            return #expect(throws: ArtifactError.self) {
                try ArtifactArchiver(compression: .gzip).archive(directory: artifacts, into: output)
            }
        }

        #expect(error?.code == .readerFailed)
        #expect(error?.errno == EIO)
        #expect(error?.description.contains("cannot read from the reader: Input/output error") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
    }

    /// Interrupted reads are read again: the archive holds the same files.
    @Test func interruptedReadsFromTheReaderAreRetried() throws {
        let scratch = try TemporaryDirectory("sf-reader-stream")
        let artifacts = try sampleArtifacts(in: scratch)
        let plain = try ArtifactArchiver(compression: .none).archive(
            directory: artifacts, into: try scratch.subdirectory("plain"))

        let (interrupted, interruptions) = try MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EINTR, on: ["read"], count: 3)
            let summary = try ArtifactArchiver(compression: .none).archive(
                directory: artifacts, into: try scratch.subdirectory("interrupted"))
            return (summary, driver.trace.filter { $0.name == "read" }.count)
        }

        #expect(interruptions > 3)
        #expect(interrupted.entries == plain.entries)
        #expect(interrupted.fileBytes == plain.fileBytes)
        #expect(interrupted.fileDigests == plain.fileDigests)
        #expect(interrupted.sha256 == plain.sha256)
    }
}
