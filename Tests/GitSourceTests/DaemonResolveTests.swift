import TestSupport
import Testing

@testable import GitSource

/// `GitCache.resolve` over git:// against a real `git daemon` on 127.0.0.1.
@Suite(.serialized) struct DaemonResolveTests {
    @Test(.timeLimit(.minutes(10))) func branchesTagsAndPinnedCommitsOverGitProtocol() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let daemon = try TestGitDaemon(basePath: origin.root)
        defer { daemon.stop() }
        let url = daemon.url("origin")

        #expect(try origin.cache.resolve(url: url, ref: .shortName("main")).commit == origin.second)
        let tag = try origin.cache.resolve(url: url, ref: .shortName("v1"))
        #expect(tag.commit == origin.first)
        #expect(tag.tagObject == (try Shell.git("rev-parse", "refs/tags/v1", in: origin.path)))
        // A tag refspec that matches nothing on the server is not an error.
        #expect(try origin.cache.resolve(url: url, ref: .shortName("main")).refName == "refs/heads/main")

        let third = try origin.commitOnMain("third\n")
        #expect(try origin.cache.resolve(url: url, ref: .shortName("main")).commit == third)

        // The server refuses unadvertised wants: everything is fetched instead.
        let fourth = try origin.commitOnMain("fourth\n")
        try Shell.git("reset", "-q", "--hard", third, in: origin.path)
        try Shell.git("tag", "keep", fourth, in: origin.path)
        let pinned = try origin.cache.resolve(url: url, ref: .commit(fourth))
        #expect(pinned == ResolvedRef(commit: fourth, fetched: true, attempts: 1))
        // …into a namespace of its own: no branch or tag the cache remembers moves.
        let refs = try origin.cacheGit(url, "show-ref")
        #expect(refs.contains("\(fourth) refs/sf-agent/all/tags/keep"), "\(refs)")
        #expect(!refs.contains("refs/tags/keep"), "\(refs)")

        let unknown = String(repeating: "7", count: 40)
        #expect(throws: SourceError.self) { try origin.cache.resolve(url: url, ref: .commit(unknown)) }

        daemon.stop()
        #expect(try origin.cache.resolve(url: url, ref: .commit(fourth)) == ResolvedRef(commit: fourth, fetched: false))
        do {
            _ = try origin.cache.resolve(url: url, ref: .shortName("main"))
            Issue.record("resolving a branch with the server stopped succeeded")
        } catch {
            #expect(error.code == .fetchFailed)
            #expect(error.message.contains(url))
        }
    }

    @Test(.timeLimit(.minutes(10))) func commitFetchedDirectlyWhenTheServerAllowsIt() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        try Shell.git("config", "uploadpack.allowReachableSHA1InWant", "true", in: origin.path)
        let daemon = try TestGitDaemon(basePath: origin.root)
        defer { daemon.stop() }
        let url = daemon.url("origin")

        let resolved = try origin.cache.resolve(url: url, ref: .commit(origin.first))
        #expect(resolved == ResolvedRef(commit: origin.first, fetched: true, attempts: 1))
        let refs = try origin.cacheGit(url, "show-ref")
        #expect(refs == "\(origin.first) refs/sf-agent/pinned/\(origin.first)\n")
    }
}
