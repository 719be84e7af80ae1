import Foundation
import Testing

/// The artifacts tree most tests archive: every kind of entry the archiver
/// must handle, and the names GNU tar should list for it.
enum SampleTree {
    static let bigFileSize = 20 * 1024 * 1024
    static let unicodeName = "spaß é.txt"
    static let oldMtime: time_t = 1_000_000_000

    /// What `tar -tf` lists for the tree: directories end with "/".
    static let expectedEntries: Set<String> = [
        "nested/", "nested/deeper/", "nested/deeper/data.txt", unicodeName, "run.sh", "empty",
        "big.bin", "old.txt", "links/", "links/passwd", "links/relative",
    ]

    /// Builds the tree in `root` (which must exist) and returns the big file's contents.
    @discardableResult
    static func create(in root: String) throws -> Data {
        let files = FileManager.default
        try files.createDirectory(atPath: root + "/nested/deeper", withIntermediateDirectories: true)
        try files.createDirectory(atPath: root + "/links", withIntermediateDirectories: true)
        try Data("deep\n".utf8).write(to: URL(fileURLWithPath: root + "/nested/deeper/data.txt"))
        try Data("grüße\n".utf8).write(to: URL(fileURLWithPath: root + "/" + unicodeName))
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: URL(fileURLWithPath: root + "/run.sh"))
        #expect(chmod(root + "/run.sh", 0o755) == 0)
        try Data().write(to: URL(fileURLWithPath: root + "/empty"))
        let big = pseudoRandomBytes(count: bigFileSize, seed: 42)
        try big.write(to: URL(fileURLWithPath: root + "/big.bin"))
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: root + "/old.txt"))
        var times = [timespec(tv_sec: oldMtime, tv_nsec: 0), timespec(tv_sec: oldMtime, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, root + "/old.txt", &times, 0) == 0)
        #expect(symlink("/etc/passwd", root + "/links/passwd") == 0)
        #expect(symlink("../" + unicodeName, root + "/links/relative") == 0)
        #expect(mkfifo(root + "/pipe", 0o644) == 0)
        return big
    }

    /// Incompressible, reproducible bytes (xorshift64).
    static func pseudoRandomBytes(count: Int, seed: UInt64) -> Data {
        var data = Data(count: count)
        var state = seed | 1
        data.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for index in words.indices {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                words[index] = state
            }
        }
        return data
    }
}
