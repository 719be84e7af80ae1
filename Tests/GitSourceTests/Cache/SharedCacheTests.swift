import Foundation
import TestSupport
import Testing

@testable import GitSource

/// The shared cache survives crashes and damage, and honours its locks.
@Suite(.serialized, .timeLimit(.minutes(10))) struct SharedCacheTests {
    func packs(_ origin: OriginRepository, _ url: String) throws -> [String] {
        let directory = origin.cache.repositoryPath(for: url) + "/objects/pack"
        return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pack") }.map {
            directory + "/" + $0
        }
    }

    /// Forgets the checkout so the next job must read the repository again.
    func dropCheckout(_ origin: OriginRepository, _ commit: String) {
        FixtureTools.removeTree(origin.cache.checkoutPath(for: commit))
        try? FileManager.default.removeItem(atPath: origin.cache.checkoutPath(for: commit) + ".complete")
    }

    @Test func damagedRepositoryIsRebuilt() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let daemon = try TestGitDaemon(basePath: origin.root)
        defer { daemon.stop() }
        let url = daemon.url("origin")
        _ = try origin.cache.prepare(url: url, ref: .commit(origin.second))

        // Objects deleted: the commit is there, its tree and blobs are not.
        dropCheckout(origin, origin.second)
        for pack in try packs(origin, url) { try FileManager.default.removeItem(atPath: pack) }
        let commitPath =
            origin.cache.repositoryPath(for: url) + "/objects/" + origin.second.prefix(2) + "/"
            + origin.second.dropFirst(2)
        try FileManager.default.createDirectory(
            atPath: (commitPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let loose = try Shell.run([
            "sh", "-c",
            "git -C \(origin.path) cat-file commit \(origin.second) | git hash-object -t commit --stdin -w --no-filters >/dev/null; cp \(origin.path)/.git/objects/\(origin.second.prefix(2))/\(origin.second.dropFirst(2)) \(commitPath)",
        ])
        _ = loose
        #expect(FileManager.default.fileExists(atPath: commitPath))
        do {
            let rebuilt = try origin.cache.prepare(url: url, ref: .commit(origin.second))
            #expect(rebuilt.resolved.rebuilt)
            #expect(
                try String(contentsOfFile: rebuilt.checkout.path + "/README.md", encoding: .utf8) == "hello again\n")
        }  // Releases the checkout's lease, as a finished job does.

        // A truncated pack.
        dropCheckout(origin, origin.second)
        for pack in try packs(origin, url) {
            chmod(pack, 0o644)  // git leaves packs read-only: only root could truncate them as they are
            #expect(truncate(pack, 200) == 0)
        }
        let again = try origin.cache.prepare(url: url, ref: .commit(origin.second))
        #expect(again.resolved.rebuilt)
        #expect(try String(contentsOfFile: again.checkout.path + "/README.md", encoding: .utf8) == "hello again\n")
    }

    @Test func halfWrittenCheckoutIsWrittenAgain() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let path = try origin.cache.prepare(url: origin.path, ref: .commit(origin.first)).checkout.path
        // A crash after the rename, before the stamp: the directory lacks files and its stamp.
        try FileManager.default.removeItem(atPath: path + ".complete")
        _ = try Shell.run(["chmod", "u+w", path])
        try FileManager.default.removeItem(atPath: path + "/README.md")
        let second = try origin.cache.prepare(url: origin.path, ref: .commit(origin.first))
        #expect(second.checkout.repaired)
        #expect(!second.checkout.reused)
        #expect(try String(contentsOfFile: path + "/README.md", encoding: .utf8) == "hello\n")
        #expect(FileManager.default.fileExists(atPath: path + ".complete"))
    }

    @Test func lockHeldTooLongIsItsOwnError() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        var cache = origin.cache
        cache.lockTimeout = .milliseconds(300)
        _ = try cache.resolve(url: origin.path, ref: .shortName("main"))
        let lockPath = cache.repositoryPath(for: origin.path) + ".lock"
        let fd = open(lockPath, O_RDWR)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let start = Date()
        do {
            _ = try cache.resolve(url: origin.path, ref: .shortName("main"))
            Issue.record("resolved while another process held the lock")
        } catch {
            #expect(error.code == .lockTimeout)
            #expect(error.message.contains("cache.lock_timeout"))
        }
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test func gcRemovesOldAndOversizedCheckoutsButNeverOneInUse() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let old = try origin.cache.prepare(url: origin.path, ref: .commit(origin.first)).checkout.path
        var inUse: Checkout? = try origin.cache.prepare(url: origin.path, ref: .commit(origin.second)).checkout
        let third = try origin.commitOnMain("third\n")
        let recent = try origin.cache.prepare(url: origin.path, ref: .commit(third)).checkout.path
        let longAgo = Date().addingTimeInterval(-30 * 86_400)
        for path in [old, inUse?.path ?? ""] {
            try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: path + ".complete")
        }

        let report = try origin.cache.collectGarbage(keepDays: 14, maxBytes: 0)
        #expect(report.removed.map(\.commit) == [origin.first])
        #expect(report.inUse == [origin.second])
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: inUse?.path ?? "-"))
        #expect(FileManager.default.fileExists(atPath: recent))

        // Released: now the old one goes; a size limit of one byte takes the rest too.
        inUse = nil
        let second = try origin.cache.collectGarbage(keepDays: 14, maxBytes: 1)
        #expect(Set(second.removed.map(\.commit)) == [origin.second, third])
        #expect(second.kept == 0)
    }
}
