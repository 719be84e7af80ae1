import Foundation
import TestSupport
import Testing

@testable import GitSource

/// `GitCache.resolve` against real repositories over a plain path and file://.
@Suite struct ResolveTests {
    private func resolve(_ origin: OriginRepository, _ ref: String, url: String? = nil) throws -> ResolvedRef {
        try origin.cache.resolve(url: url ?? origin.path, ref: try GitRef(parsing: ref))
    }

    private func failure(_ origin: OriginRepository, _ ref: String) throws -> SourceError? {
        do {
            _ = try resolve(origin, ref)
            return nil
        } catch let error as SourceError {
            return error
        }
    }

    @Test func branchOverPlainPath() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let resolved = try resolve(origin, "main")
        #expect(resolved == ResolvedRef(commit: origin.second, refName: "refs/heads/main", fetched: true))
        #expect(try resolve(origin, "refs/heads/main") == resolved)
        // Only what was asked for arrives: no automatic tag following.
        #expect(try origin.cacheGit(origin.path, "show-ref") == "\(origin.second) refs/heads/main\n")
    }

    @Test func branchOverFileURL() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let resolved = try resolve(origin, "main", url: "file://" + origin.path)
        #expect(resolved.commit == origin.second)
        #expect(resolved.refName == "refs/heads/main")
    }

    @Test func lightweightTag() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        #expect(
            try resolve(origin, "light") == ResolvedRef(commit: origin.first, refName: "refs/tags/light", fetched: true)
        )
    }

    @Test func annotatedTagIsPeeled() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let tagObject = try Shell.git("rev-parse", "refs/tags/v1", in: origin.path)
        #expect(tagObject != origin.first)
        let resolved = try resolve(origin, "v1")
        #expect(
            resolved == ResolvedRef(commit: origin.first, refName: "refs/tags/v1", tagObject: tagObject, fetched: true))
        #expect(try resolve(origin, "refs/tags/v1") == resolved)
    }

    @Test func shortNamePrefersTagOverBranch() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        #expect(try resolve(origin, "both").refName == "refs/tags/both")
        #expect(try resolve(origin, "both").commit == origin.first)
        #expect(try resolve(origin, "refs/heads/both").commit == origin.second)
    }

    @Test func localSourceIsReadInPlaceThroughAnAlternate() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let firstTime = try resolve(origin, origin.first)
        #expect(firstTime == ResolvedRef(commit: origin.first, fetched: true))
        #expect(try resolve(origin, origin.first.uppercased()).commit == origin.first)
        let alternates = try String(
            contentsOfFile: origin.cache.repositoryPath(for: origin.path) + "/objects/info/alternates", encoding: .utf8)
        #expect(alternates == origin.path + "/.git/objects\n")
        let objects = try FileManager.default.subpathsOfDirectory(
            atPath: origin.cache.repositoryPath(for: origin.path) + "/objects")
        #expect(!objects.contains { $0.hasPrefix("pack/") && $0.hasSuffix(".pack") }, "no objects are copied")
    }

    @Test func pinnedCheckoutNeedsNoSource() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let committed = try Shell.git("log", "-1", "--format=%ct", origin.first, in: origin.path)
        _ = try origin.cache.prepare(url: origin.path, ref: .commit(origin.first))
        FixtureTools.removeTree(origin.path)
        let again = try origin.cache.prepare(url: origin.path, ref: .commit(origin.first))
        var expected = ResolvedRef(commit: origin.first, fetched: false)
        // The committer time comes from the checkout's stamp: the source (and its objects) are gone.
        expected.committedAt = Int64(committed)
        #expect(expected.committedAt != nil)
        #expect(again.resolved == expected)
        #expect(again.checkout.reused)
        #expect(try failure(origin, "main")?.code == .fetchFailed)
    }

    @Test func movedBranchIsFetchedAgain() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        #expect(try resolve(origin, "main").commit == origin.second)
        let third = try origin.commitOnMain("third\n")
        #expect(try resolve(origin, "main").commit == third)
        // Force-moved backwards (a rewritten branch) is followed too.
        try Shell.git("reset", "-q", "--hard", origin.first, in: origin.path)
        #expect(try resolve(origin, "main").commit == origin.first)
    }

    @Test func unknownRefs() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let missing = try failure(origin, "no-such-branch")
        #expect(missing?.code == .refNotFound)
        #expect(missing?.message.contains("refs/heads/no-such-branch") == true)
        #expect(missing?.message.contains(origin.path) == true)
        #expect(try failure(origin, "refs/heads/nope")?.code == .refNotFound)
        let unknownCommit = try failure(origin, String(repeating: "5", count: 40))
        #expect(unknownCommit?.code == .refNotFound)
        #expect(unknownCommit?.message.contains(String(repeating: "5", count: 40)) == true)
    }

    @Test func tagOfATreeIsNotACommit() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let error = try failure(origin, "treetag")
        #expect(error?.code == .notACommit)
        #expect(error?.message.contains("tree") == true)
        // Its id, once in the cache, is not a commit either.
        let tree = try Shell.git("rev-parse", "HEAD^{tree}", in: origin.path)
        #expect(try failure(origin, tree)?.code == .notACommit)
    }

    @Test func unreachableServerIsFetchFailed() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let url = origin.root + "/does-not-exist"
        do {
            _ = try origin.cache.resolve(url: url, ref: .shortName("main"))
            Issue.record("resolving against a missing repository succeeded")
        } catch {
            #expect(error.code == .fetchFailed)
            #expect(error.message.contains(url))
        }
    }

    @Test func credentialsNeverAppearInMessages() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let url = "https://agent:hunter2-secret@127.0.0.1:1/scripts.git"
        do {
            _ = try origin.cache.resolve(url: url, ref: .shortName("main"))
            Issue.record("resolving against port 1 succeeded")
        } catch {
            #expect(error.code == .fetchFailed)
            #expect(!error.message.contains("hunter2"))
            #expect(error.message.contains("https://127.0.0.1:1/scripts.git"))
        }
    }
}
