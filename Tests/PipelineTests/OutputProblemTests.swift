import AgentSystem
import TestSupport
import Testing

@testable import Pipeline

#if canImport(Glibc)
import Glibc
#endif

/// The real cause of an unwritable `output.dir`, as a sentence.
@Suite struct OutputProblemTests {
    static let output = OutputProblem.Folder(path: "/output", uid: 0, gid: 0, mode: 0o755)

    @Test(
        arguments: [
            (EROFS, output, "/output is on a read-only file system; mount output.dir (/output) read-write"),
            (
                EACCES, output,
                "permission denied: the agent runs as uid 10001 (gid 10001), and /output is owned by uid 0 (gid 0) with mode 0755; "
                    + "make output.dir (/output) writable by uid 10001 (chown it to 10001, or mount a volume that uid may write)"
            ),
            (
                EACCES, nil,
                "permission denied for uid 10001 on /output/job-1; make output.dir (/output) writable by uid 10001"
            ),
            (ENOSPC, output, "the file system of /output is full; free space on the output volume"),
            (EDQUOT, output, "uid 10001 has used up its quota on the file system of /output; raise it or free space"),
            (EIO, output, "cannot create directory /output/job-1: Input/output error"),
        ] as [(Int32, OutputProblem.Folder?, String)])
    func causes(errno: Int32, folder: OutputProblem.Folder?, sentence: String) {
        let error = SystemError(operation: "create directory", path: "/output/job-1", errno: errno)
        #expect(
            OutputProblem.cause(of: error, agent: (10001, 10001), folder: folder, outputDirectory: "/output")
                == sentence)
    }

    @Test func theNearestFolderIsTheDeepestThatExists() throws {
        let scratch = try TemporaryDirectory("sf-problem")
        let root = scratch.path
        chmod(root, 0o750)
        let folder = try #require(OutputProblem.nearestFolder(root + "/missing/job-1"))
        #expect(folder.path == root)
        #expect(folder.mode == 0o750)
        #expect(folder.uid == geteuid())
    }
}
