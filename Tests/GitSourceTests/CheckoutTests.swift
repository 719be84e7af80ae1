import Foundation
import Synchronization
import TestSupport
import Testing

@testable import GitSource

/// `GitCache.checkout`: a commit's tree written read-only, byte for byte.
@Suite struct CheckoutTests {
    private func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : nil
    }

    @Test func writesTheTreeReadOnly() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let resolved = try origin.cache.resolve(url: origin.path, ref: .shortName("v1"))
        let checkout = try origin.cache.checkout(url: origin.path, commit: resolved.commit)
        #expect(
            checkout
                == Checkout(path: origin.root + "/cache/checkouts/" + origin.first, commit: origin.first, reused: false)
        )

        for file in ["README.md", "run.sh", "dir/nested/deep file.txt", "crlf.txt", ".gitattributes"] {
            let expected = try Shell.run(["git", "show", "\(origin.first):\(file)"], in: origin.path)
            let actual = try Data(contentsOf: URL(fileURLWithPath: checkout.path + "/" + file))
            #expect(actual == expected, "\(file) differs from git show")
        }
        // Raw blob contents: no eol=crlf smudging.
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkout.path + "/crlf.txt")) == Data("a\nb\n".utf8))

        #expect(mode(checkout.path + "/README.md") == S_IFREG | 0o444)
        #expect(mode(checkout.path + "/run.sh") == S_IFREG | 0o555)
        #expect(mode(checkout.path + "/dir/nested/deep file.txt") == S_IFREG | 0o444)
        for directory in ["", "/dir", "/dir/nested"] {
            #expect(mode(checkout.path + directory) == S_IFDIR | 0o555, "\(directory) is not 0555")
        }
        #expect(mode(checkout.path + "/link").map { $0 & S_IFMT } == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: checkout.path + "/link") == "run.sh")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: checkout.path + "/dirlink") == "dir")
        #expect(mode(checkout.path + "/sub") == nil, "gitlinks are skipped")
        #expect(mode(origin.root + "/cache/checkouts") == S_IFDIR | 0o755)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: checkout.path).sorted() == [
                ".gitattributes", "README.md", "crlf.txt", "dir", "dirlink", "link", "run.sh",
            ])
    }

    @Test func reusesACompleteCheckout() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        _ = try origin.cache.resolve(url: origin.path, ref: .shortName("main"))
        let first = try origin.cache.checkout(url: origin.path, commit: origin.second)
        #expect(!first.reused)
        let second = try origin.cache.checkout(url: origin.path, commit: origin.second.uppercased())
        #expect(second == Checkout(path: first.path, commit: origin.second, reused: true))
        // Reuse needs neither the server nor the cache repository.
        FixtureTools.removeTree(origin.path)
        FixtureTools.removeTree(origin.cache.repositoryPath(for: origin.path))
        #expect(try origin.cache.checkout(url: origin.path, commit: origin.second).reused)
    }

    @Test func concurrentCheckoutsOfOneCommitAgree() async throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        _ = try origin.cache.resolve(url: origin.path, ref: .shortName("main"))
        let cache = origin.cache
        let url = origin.path
        let commit = origin.second
        let results = try await withThrowingTaskGroup(of: Checkout.self) { group in
            for _ in 0..<4 {
                group.addTask { try cache.checkout(url: url, commit: commit) }
            }
            return try await group.reduce(into: [Checkout]()) { $0.append($1) }
        }
        #expect(results.count == 4)
        #expect(Set(results.map(\.path)).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: results[0].path).contains("run.sh"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: cache.checkoutsDirectory).filter {
            $0.hasPrefix(".tmp-")
        }
        #expect(leftovers.isEmpty)
    }

    /// Two agents wait to write the same checkout; the winner writes it and
    /// keeps its shared lease for as long as its job runs. The loser must
    /// notice the finished checkout instead of waiting for an exclusive lock
    /// that will not come before `cache.lock_timeout`.
    @Test func aWaitingWriterTakesTheCheckoutAnotherFinished() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        _ = try origin.cache.resolve(url: origin.path, ref: .shortName("main"))
        let cache = GitCache(directory: origin.cache.directory, lockTimeout: .seconds(15))
        let lockPath = cache.checkoutPath(for: origin.second) + ".lock"
        try FileManager.default.createDirectory(atPath: cache.checkoutsDirectory, withIntermediateDirectories: true)
        // A third party holds the lock shared, so both writers queue for the exclusive lock.
        let gate = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(flock(gate, LOCK_SH) == 0)
        let results = Mutex<[Result<Checkout, SourceError>]>([])
        let threads = (0..<2).map { _ in
            Thread {
                let result = Result { () throws(SourceError) in
                    try cache.checkout(url: origin.path, commit: origin.second)
                }
                results.withLock { $0.append(result) }  // the lease stays held: it lives in `results`
            }
        }
        for thread in threads { thread.start() }
        usleep(500_000)  // both writers are now polling for the exclusive lock
        close(gate)
        let deadline = Date().addingTimeInterval(60)
        while results.withLock({ $0.count }) < 2 && Date() < deadline { usleep(20_000) }
        let outcomes = results.withLock { $0 }
        #expect(outcomes.count == 2)
        let checkouts = outcomes.compactMap { try? $0.get() }
        #expect(checkouts.count == 2, "\(outcomes)")
        #expect(checkouts.filter(\.reused).count == 1, "one wrote the checkout, the other took it")
    }

    @Test func refusesUnknownOrInvalidCommits() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        #expect(throws: SourceError.self) { try origin.cache.checkout(url: origin.path, commit: "abc") }
        do {
            _ = try origin.cache.checkout(url: origin.path, commit: origin.first)
            Issue.record("checked out a commit that was never fetched")
        } catch {
            #expect(error.code == .refNotFound)
            #expect(error.message.contains(origin.first))
        }
        _ = try origin.cache.resolve(url: origin.path, ref: .shortName("main"))
        let blob = try Shell.git("rev-parse", "\(origin.second):README.md", in: origin.path)
        do {
            _ = try origin.cache.checkout(url: origin.path, commit: String(repeating: "9", count: 40))
            Issue.record("checked out a missing commit")
        } catch {
            #expect(error.code == .refNotFound)
        }
        do {
            _ = try origin.cache.checkout(url: origin.path, commit: blob)
            Issue.record("checked out a blob")
        } catch {
            #expect(error.code == .notACommit)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: origin.cache.checkoutsDirectory)
        #expect(left.allSatisfy { $0.hasSuffix(".lock") }, "only lock files remain: \(left)")
    }
}
