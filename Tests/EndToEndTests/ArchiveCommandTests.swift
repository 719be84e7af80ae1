import Foundation
import TestSupport
import Testing

/// `sf-agent archive DIR OUT --user`: whose privileges read DIR.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct ArchiveCommandTests {
    /// DIR (root's, like the benchmark's data) with `ok.txt` and a root-only `root-only.txt`.
    private func tree(in world: AgentWorld) throws -> String {
        let directory = world.root + "/tree"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FixtureTools.write("ok\n", to: directory + "/ok.txt")
        try FixtureTools.write("root only\n", to: directory + "/root-only.txt", mode: 0o600)
        return directory
    }

    private func archive(_ directory: String, into output: String, _ options: [String] = []) throws -> Command.Output {
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        return try Command.run(
            AgentWorld.agentBinary, ["archive", directory, output, "--compression", "none"] + options)
    }

    @Test func asRootTheOwnerOfTheDirectoryOrTheNamedUserReadsIt() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let directory = try tree(in: world)

        let asOwner = try archive(directory, into: world.root + "/owner")
        #expect(asOwner.status == 0, "\(asOwner.stderr)")
        #expect(
            try world.tarNames(world.root + "/owner/artifacts.tar") == ["ok.txt", "root-only.txt"],
            "root's directory: read as root")

        for user in ["runner", "10001", "10001:10001"] {
            let output = world.root + "/as-\(user)"
            let run = try archive(directory, into: output, ["--user", user])
            #expect(run.status == 0, "\(user): \(run.stderr)")
            #expect(try world.tarNames(output + "/artifacts.tar") == ["ok.txt"], "\(user)")
            #expect(
                run.stderr.contains(
                    "not archived: root-only.txt: the reader (the job's user and sandbox) may not open it"),
                "\(run.stderr)")
        }

        try Command.check("/bin/chown", ["-R", "10001:10001", directory])
        try Command.check("/bin/chown", ["0:0", directory + "/root-only.txt"])
        let byOwner = try archive(directory, into: world.root + "/by-owner")
        #expect(byOwner.status == 0, "\(byOwner.stderr)")
        #expect(
            try world.tarNames(world.root + "/by-owner/artifacts.tar") == ["ok.txt"],
            "a directory of 10001's: read as 10001")
    }

    @Test func anUnknownUserIsAUsageError() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let run = try archive(try tree(in: world), into: world.root + "/out", ["--user", "no-such-user-here"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("no-such-user-here"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: world.root + "/out/artifacts.tar"))
    }
}

extension AgentWorld {
    /// `tar -tf` of an archive, in archive order.
    func tarNames(_ archive: String) throws -> [String] {
        try Command.check("/usr/bin/tar", ["-tf", archive]).split(separator: "\n").map(String.init)
    }
}
