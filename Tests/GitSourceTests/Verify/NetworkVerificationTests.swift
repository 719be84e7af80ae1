import ConfigKeys
import TestSupport
import Testing

@testable import GitSource

/// Ancestry and moved tags over git:// against a real `git daemon`: the
/// branch named by `require_ancestor_of` is read from the server each time.
@Suite(.serialized) struct NetworkVerificationTests {
    static func cache(_ origin: OriginRepository, ancestorOf: String? = "refs/heads/main") -> GitCache {
        GitCache(
            directory: origin.root + "/cache", lockTimeout: .seconds(20),
            requirements: RefRequirements(ancestorOf: ancestorOf))
    }

    @Test(.timeLimit(.minutes(10))) func aCachedPinnedCommitIsCheckedAgainstTheBranchAsFetchedNow() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let daemon = try TestGitDaemon(basePath: origin.root)
        defer { daemon.stop() }
        let url = daemon.url("origin")
        let cache = Self.cache(origin)

        let onMain = try cache.resolve(url: url, ref: .commit(origin.first))
        #expect(onMain.ancestorTip == origin.second)

        // A commit on a side branch, fetched into the cache (no rule), then pinned with the rule.
        try Shell.git("checkout", "-q", "-b", "side", in: origin.path)
        let side = try origin.commitOnMain("side\n")
        try Shell.git("checkout", "-q", "main", in: origin.path)
        #expect(try Self.cache(origin, ancestorOf: nil).resolve(url: url, ref: .shortName("side")).commit == side)
        do {
            _ = try cache.resolve(url: url, ref: .commit(side))
            Issue.record("a commit off main passed policy.require_ancestor_of")
        } catch {
            #expect(error.code == .refused && error.rule == .policyRequireAncestorOf, "\(error)")
            #expect(error.message.contains(side) && error.message.contains(origin.second), "\(error)")
        }

        // Merged upstream: the same cached commit now passes, so main was fetched again.
        try Shell.git("merge", "-q", "--ff-only", "side", in: origin.path)
        let merged = try cache.resolve(url: url, ref: .commit(side))
        #expect(merged.ancestorTip == side && merged.fetched && merged.attempts == 1)

        // Without the server, ancestry cannot be checked: the commit does not run.
        daemon.stop()
        #expect(throws: SourceError.self) { try cache.prepare(url: url, ref: .commit(side)) }
        #expect(try Self.cache(origin, ancestorOf: nil).prepare(url: url, ref: .commit(side)).resolved.fetched == false)
    }

    @Test(.timeLimit(.minutes(10))) func aTagMovedOnTheServerIsRefusedAndKeptWhereItWas() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let daemon = try TestGitDaemon(basePath: origin.root)
        defer { daemon.stop() }
        let url = daemon.url("origin")
        let cache = Self.cache(origin, ancestorOf: nil)

        #expect(try cache.resolve(url: url, ref: .shortName("v1")).commit == origin.first)
        try Shell.git("tag", "-f", "-a", "-m", "moved", "v1", origin.second, in: origin.path)
        for _ in 0..<2 {
            do {
                _ = try cache.resolve(url: url, ref: .shortName("v1"))
                Issue.record("a moved tag was accepted")
            } catch {
                #expect(error.code == .refused && error.rule == .policyImmutableTags, "\(error)")
                #expect(error.message.contains(origin.first) && error.message.contains(origin.second), "\(error)")
            }
        }
        // A repository rebuilt after damage (here: removed) still knows where the tag was.
        FixtureTools.removeTree(cache.repositoryPath(for: url))
        do {
            _ = try cache.resolve(url: url, ref: .shortName("v1"))
            Issue.record("a moved tag was accepted by a rebuilt cache repository")
        } catch {
            #expect(error.code == .refused && error.message.contains(origin.first), "\(error)")
        }
        var trusting = cache
        trusting.requirements.immutableTags = false
        #expect(try trusting.resolve(url: url, ref: .shortName("v1")).commit == origin.second)
        // The accepted move is the position remembered from now on.
        #expect(try cache.resolve(url: url, ref: .shortName("v1")).commit == origin.second)
    }
}
