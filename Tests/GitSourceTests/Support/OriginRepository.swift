import Foundation
import GitSource
import TestSupport

/// A real git repository made with the git CLI, plus a cache directory, under one temp dir.
///
/// History:
/// - `first`: README.md, run.sh (0755), "dir/nested/deep file.txt", link -> run.sh,
///   dirlink -> dir, crlf.txt with `eol=crlf` attributes, a gitlink `sub`;
///   tags `light` (lightweight), `v1` (annotated), `both` (tag), `treetag` (a tree).
/// - `second`: main moves on (README.md changed); branch `both` points here.
struct OriginRepository {
    let root: String
    let path: String
    let cache: GitCache
    let first: String
    let second: String

    static func make() throws -> OriginRepository {
        let root = try FixtureTools.temporaryDirectory("sf-gitsource")
        let path = root + "/origin"
        try FileManager.default.createDirectory(atPath: path + "/dir/nested", withIntermediateDirectories: true)
        try Shell.git("init", "-q", "-b", "main", path, in: root)
        try write("hello\n", to: path + "/README.md")
        try write("#!/bin/sh\necho hi\n", to: path + "/run.sh")
        try write("deep\n", to: path + "/dir/nested/deep file.txt")
        try write("*.txt text eol=crlf\n", to: path + "/.gitattributes")
        try write("a\r\nb\n", to: path + "/crlf.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/run.sh")
        try FileManager.default.createSymbolicLink(atPath: path + "/link", withDestinationPath: "run.sh")
        try FileManager.default.createSymbolicLink(atPath: path + "/dirlink", withDestinationPath: "dir")
        try Shell.git("add", "-A", in: path)
        let fakeSubmodule = String(repeating: "ab", count: 20)
        try Shell.git("update-index", "--add", "--cacheinfo", "160000,\(fakeSubmodule),sub", in: path)
        try Shell.git("commit", "-q", "-m", "first", in: path)
        let first = try Shell.git("rev-parse", "HEAD", in: path)
        try Shell.git("tag", "light", in: path)
        try Shell.git("tag", "-a", "v1", "-m", "version 1", in: path)
        try Shell.git("tag", "both", in: path)
        try Shell.git("tag", "treetag", "HEAD^{tree}", in: path)
        try write("hello again\n", to: path + "/README.md")
        try Shell.git("commit", "-q", "-am", "second", in: path)
        let second = try Shell.git("rev-parse", "HEAD", in: path)
        try Shell.git("branch", "both", in: path)
        return OriginRepository(
            root: root, path: path, cache: GitCache(directory: root + "/cache", lockTimeout: .seconds(20)),
            first: first, second: second)
    }

    /// Adds a commit on main and returns its id.
    func commitOnMain(_ text: String) throws -> String {
        try Self.write(text, to: path + "/README.md")
        try Shell.git("commit", "-q", "-am", text, in: path)
        return try Shell.git("rev-parse", "HEAD", in: path)
    }

    /// Runs git against the cache's bare repository for `url`.
    func cacheGit(_ url: String, _ arguments: String...) throws -> String {
        let data = try Shell.run(["git", "--git-dir=" + cache.repositoryPath(for: url)] + arguments)
        return String(decoding: data, as: UTF8.self)
    }

    func remove() { FixtureTools.removeTree(root) }

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
