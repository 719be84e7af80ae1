import TestSupport
import Testing

@testable import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// `stat` as Swift values, and the other typed helpers over the wrappers.
@Suite struct FileStatusTests {
    @Test func kindsPermissionsAndSizes() throws {
        let directory = try FixtureTools.temporaryDirectory("sf-status")
        defer { try? FileSystem.removeTree(directory) }
        try FileSystem.writeAtomically(Array("12345".utf8), to: directory + "/file", mode: 0o640, durability: .none)
        try FileSystem.makeSymbolicLink("file", at: directory + "/link")
        try FileSystem.makeSymbolicLink("missing", at: directory + "/dangling")
        #expect(mkfifo(directory + "/fifo", 0o600) == 0)

        let cases: [(path: String, follow: Bool, kind: FileStatus.Kind?, permissions: UInt32?)] = [
            ("file", true, .regular, 0o640),
            ("link", true, .regular, 0o640),
            ("link", false, .symbolicLink, 0o777),
            ("dangling", false, .symbolicLink, 0o777),
            ("dangling", true, nil, nil),
            ("fifo", false, .fifo, 0o600),
            ("", true, .directory, 0o755),
        ]
        for row in cases {
            let path = row.path.isEmpty ? directory : Path.join(directory, row.path)
            let status = try? (row.follow ? FileSystem.status(path) : FileSystem.linkStatus(path))
            #expect(status?.kind == row.kind, "\(row)")
            #expect(status?.permissions == row.permissions, "\(row)")
        }
        #expect(try FileSystem.status(directory + "/file").size == 5)
        #expect(try FileSystem.status("/dev/null").kind == .characterDevice)
        #expect(throws: SystemError(operation: "inspect", path: directory + "/dangling", errno: ENOENT)) {
            try FileSystem.status(directory + "/dangling")
        }

        let fd = open(directory + "/file", O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        let byDescriptor = try FileSystem.status(descriptor: fd, path: directory + "/file")
        #expect(byDescriptor == (try FileSystem.status(directory + "/file")))
        #expect(byDescriptor.owner == geteuid())
        #expect(byDescriptor.inode != 0)
    }

    @Test func removeFileRemovesALinkNotItsTarget() throws {
        let directory = try FixtureTools.temporaryDirectory("sf-status")
        defer { try? FileSystem.removeTree(directory) }
        try FileSystem.writeAtomically(Array("x".utf8), to: directory + "/file", durability: .none)
        try FileSystem.makeSymbolicLink("file", at: directory + "/link")
        try FileSystem.removeFile(directory + "/link")
        #expect(try FileSystem.directoryEntries(directory) == ["file"])
        #expect(throws: SystemError(operation: "remove", path: directory + "/link", errno: ENOENT)) {
            try FileSystem.removeFile(directory + "/link")
        }
    }

    @Test func processAndMachine() {
        #expect(ProcessIdentity.effectiveUserID == geteuid())
        #expect(ProcessIdentity.effectiveGroupID == getegid())
        #expect(ProcessIdentity.isRoot == (geteuid() == 0))
        #expect(Machine.onlineProcessors >= 1)
        #expect(SystemError.reason(ENOENT) == "No such file or directory")
    }

    @Test func cStringBytesKeepWhatIsNotUTF8() {
        let raw: [CChar] = [0x61, CChar(bitPattern: 0xff), 0x62, 0]
        #expect(raw.withUnsafeBufferPointer { CString.bytes($0.baseAddress) } == [0x61, 0xff, 0x62])
        #expect(CString.bytes(nil) == [])
    }

    @Test func globTable() {
        let cases: [(pattern: String, text: String, pathSegments: Bool, matches: Bool)] = [
            ("deploy/*", "deploy/web", true, true),
            ("deploy/*", "deploy/a/b", true, false),
            ("deploy/*", "deploy/a/b", false, true),
            ("db_?", "db_1", false, true),
            ("[ab]*", "cat", false, false),
        ]
        for row in cases {
            #expect(Glob.matches(row.pattern, row.text, pathSegments: row.pathSegments) == row.matches, "\(row)")
        }
    }
}
