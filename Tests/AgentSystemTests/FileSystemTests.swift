import TestSupport
import Testing

@testable import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

@Suite struct FileSystemTests {
    /// Removed with the suite instance, after each test.
    let scratch: TemporaryDirectory
    /// Not made: each test makes what it needs below it, or removes it while missing.
    var root: String { scratch.path + "/root" }

    init() throws {
        scratch = try TemporaryDirectory("sf-agent-fs")
    }

    @Test func removeTreeRemovesReadOnlyTreesAndOddNames() throws {
        try FileSystem.makeDirectories(root + "/tree/a/b")
        try FileSystem.writeAtomically(Array("x".utf8), to: root + "/tree/a/b/file", mode: 0o444)
        // A name that is not UTF-8.
        let odd: [CChar] = Array((root + "/tree/a/").utf8CString.dropLast()) + [CChar(bitPattern: 0xff), 0x41, 0]
        #expect(open(odd, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) >= 0)
        chmod(root + "/tree/a/b", 0o555)
        chmod(root + "/tree/a", 0o555)
        chmod(root + "/tree", 0o555)
        try FileSystem.removeTree(root + "/tree")
        #expect(!FileSystem.exists(root + "/tree"))
    }

    /// A job can nest directories far deeper than a recursive removal's
    /// stack or the descriptor limit allow (it crashed the agent before it
    /// wrote result.json); siblings at every level go too.
    @Test func removeTreeRemovesATreeOfAnyDepth() throws {
        // On tmpfs: on these VMs' ext4 even `rm -rf` of such a tree takes minutes.
        let deep = try TemporaryDirectory("sf-agent-deep", in: "/dev/shm")
        let root = deep.path
        try FileSystem.makeDirectories(root + "/tree")
        var level = open(root + "/tree", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        var failures = 0
        for depth in 0..<60_000 {
            if mkdirat(level, "d", 0o755) != 0 { failures += 1 }
            if depth % 10_000 == 0 {
                if mkdirat(level, "sibling", 0o500) != 0 { failures += 1 }
                let file = openat(level, "file", O_CREAT | O_WRONLY | O_CLOEXEC, 0o400)
                if file < 0 { failures += 1 } else { close(file) }
            }
            let next = openat(level, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            close(level)
            level = next
        }
        close(level)
        #expect(failures == 0, "the tree was built")
        try FileSystem.removeTree(root + "/tree")
        #expect(!FileSystem.exists(root + "/tree"))
    }

    @Test func removeTreeDoesNotFollowSymlinks() throws {
        try FileSystem.makeDirectories(root + "/outside")
        try FileSystem.writeAtomically(Array("keep".utf8), to: root + "/outside/precious")
        try FileSystem.makeDirectories(root + "/tree")
        #expect(symlink(root + "/outside", root + "/tree/link") == 0)
        #expect(symlink(root + "/outside/precious", root + "/tree/file-link") == 0)
        try FileSystem.removeTree(root + "/tree")
        #expect(!FileSystem.exists(root + "/tree"))
        #expect(try FileSystem.readFile(root + "/outside/precious") == Array("keep".utf8))
    }

    @Test func removeTreeOfAMissingPathIsFine() throws {
        try FileSystem.removeTree(root + "/missing/deeper")
        try FileSystem.removeTree(root)
    }

    @Test(arguments: [
        ("/a/b", "/a", "b"), ("/a/b/", "/a", "b"), ("b", ".", "b"), ("/", "/", ""), ("/a", "/", "a"),
    ])
    func pathParts(path: String, parent: String, last: String) {
        #expect(Path.parent(of: path) == parent)
        #expect(Path.lastComponent(of: path) == last)
    }

    @Test func joinAndInside() {
        #expect(Path.join("", "a") == "a")
        #expect(Path.join("/x", "", "a", "b") == "/x/a/b")
        #expect(Path.join("/x/", "a") == "/x/a")
        #expect(Path.isInside("/x/a", directory: "/x"))
        #expect(Path.isInside("/x", directory: "/x/"))
        #expect(!Path.isInside("/xy", directory: "/x"))
        #expect(Path.isInside("/anything", directory: "/"))
    }

    @Test func timestampsAreRFC3339() {
        #expect(Timestamp(seconds: 0, nanoseconds: 5_000_000).rfc3339 == "1970-01-01T00:00:00.005Z")
        #expect(Timestamp(seconds: 1_795_000_000, nanoseconds: 999_999_999).rfc3339 == "2026-11-18T11:06:40.999Z")
    }
}
