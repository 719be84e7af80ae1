import CGit2

extension GitCache {
    /// Makes `ref` available in the cache, contacting the server only when
    /// needed, and resolves it to a commit.
    ///
    /// - A ``GitRef/commit(_:)`` already in the cache needs no network at all
    ///   (`fetched == false`). Otherwise the id is fetched directly; if the
    ///   server refuses that ("cannot fetch a specific object"), every branch
    ///   and tag is fetched and the commit must then be present.
    /// - A name is always checked with the server: the agent connects, reads
    ///   the advertised refs, picks `refs/tags/<n>` before `refs/heads/<n>` for
    ///   a short name, and fetches with forced refspecs into the same names
    ///   locally (`+refs/heads/main:refs/heads/main`). Tags are not followed
    ///   and nothing is pruned. Annotated tags are peeled to their commit.
    ///
    /// ```swift
    /// let resolved = try cache.resolve(url: url, ref: try GitRef(parsing: "v1.2"))
    /// ```
    ///
    /// - Throws: ``SourceError`` with `.fetchFailed`, `.refNotFound`,
    ///   `.notACommit`, `.invalidRef` or `.cacheFailed`.
    public func resolve(url: String, ref: GitRef) throws(SourceError) -> ResolvedRef {
        try LibGit2.initialize()
        try prepareDirectories()
        guard let repository = try openRepository(for: url, create: true) else {
            throw SourceError(.cacheFailed, "Cannot create the cache repository \(repositoryPath(for: url)).")
        }
        switch ref {
        case .commit(let id):
            return try resolveCommit(id, url: url, in: repository)
        case .fullName, .shortName:
            return try resolveName(ref, url: url, in: repository)
        }
    }

    private func resolveCommit(_ id: String, url: String, in repository: Repository) throws(SourceError) -> ResolvedRef {
        guard let oid = ObjectID(hex: id) else {
            throw SourceError(.invalidRef, "The commit id \"\(id)\" is not 40 hexadecimal digits.")
        }
        if try cachedCommit(oid, url: url, in: repository) {
            return ResolvedRef(commit: oid.hex, fetched: false)
        }
        let direct = ["+\(oid.hex):refs/sf-agent/pinned/\(oid.hex)"]
        do throws(GitFailure) {
            try Remote.anonymous(url: url, in: repository).fetch(direct)
        } catch {
            // Most servers refuse wants that are not advertised tips: fetch every branch and tag instead.
            let everything = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]
            try fetch(everything, describing: "the branches and tags", url: url, in: repository)
        }
        guard try cachedCommit(oid, url: url, in: repository) else {
            throw SourceError(
                .refNotFound,
                "The commit \(oid.hex) does not exist in \(RepositoryURL.redacted(url)) (it is on no branch or tag)."
            )
        }
        return ResolvedRef(commit: oid.hex, fetched: true)
    }

    /// Whether the cache holds `oid` as a commit; throws `.notACommit` for another kind of object.
    private func cachedCommit(_ oid: ObjectID, url: String, in repository: Repository) throws(SourceError) -> Bool {
        let object: GitObject?
        do throws(GitFailure) {
            object = try repository.object(oid)
        } catch {
            throw cacheError(error, url: url, doing: "look up commit \(oid.hex) in")
        }
        guard let object else { return false }
        guard object.type == GIT_OBJECT_COMMIT else {
            throw SourceError(
                .notACommit,
                "The id \(oid.hex) names a \(object.typeName) in \(RepositoryURL.redacted(url)), not a commit."
            )
        }
        return true
    }

    private func resolveName(_ ref: GitRef, url: String, in repository: Repository) throws(SourceError) -> ResolvedRef {
        let candidates = ref.candidateNames
        let remote: Remote
        let advertised: [String: ObjectID]
        do throws(GitFailure) {
            remote = try Remote.anonymous(url: url, in: repository)
            try remote.connect()
            advertised = try remote.advertisedRefs()
        } catch {
            throw fetchError(error, what: "the refs", url: url)
        }
        guard let name = candidates.first(where: { advertised[$0] != nil }), let expected = advertised[name] else {
            throw SourceError(.refNotFound, "The ref \(Self.describe(ref)) does not exist in \(RepositoryURL.redacted(url)).")
        }
        do throws(GitFailure) {
            try remote.fetch(candidates.map { "+\($0):\($0)" })
        } catch {
            throw fetchError(error, what: Self.describe(ref), url: url)
        }
        let local: ObjectID?
        do throws(GitFailure) {
            local = try repository.referenceTarget(name)
        } catch {
            throw cacheError(error, url: url, doing: "read \(name) in")
        }
        guard let local, local == expected else {
            throw SourceError(
                .fetchFailed,
                "Fetching \(name) from \(RepositoryURL.redacted(url)) did not update it to the advertised \(expected.hex)."
            )
        }
        return try peelToCommit(local, name: name, url: url, in: repository)
    }

    /// Resolves what `name` points to: a commit, or an annotated tag peeled to one.
    private func peelToCommit(_ id: ObjectID, name: String, url: String, in repository: Repository) throws(SourceError) -> ResolvedRef {
        let target: GitObject
        let peeled: GitObject
        do throws(GitFailure) {
            guard let object = try repository.object(id) else {
                throw GitFailure(code: GIT_ENOTFOUND.rawValue, errorClass: 0, message: "object \(id.hex) is missing")
            }
            target = object
            peeled = object.type == GIT_OBJECT_TAG ? try object.peel(to: GIT_OBJECT_ANY) : object
        } catch {
            throw cacheError(error, url: url, doing: "read \(name) (\(id.hex)) in")
        }
        guard peeled.type == GIT_OBJECT_COMMIT else {
            throw SourceError(
                .notACommit,
                "The ref \(name) in \(RepositoryURL.redacted(url)) names a \(peeled.typeName) (\(peeled.id.hex)), not a commit."
            )
        }
        let tag = target.type == GIT_OBJECT_TAG ? target.id.hex : nil
        return ResolvedRef(commit: peeled.id.hex, refName: name, tagObject: tag, fetched: true)
    }

    private func fetch(_ refspecs: [String], describing what: String, url: String, in repository: Repository) throws(SourceError) {
        do throws(GitFailure) {
            try Remote.anonymous(url: url, in: repository).fetch(refspecs)
        } catch {
            throw fetchError(error, what: what, url: url)
        }
    }

    private func fetchError(_ failure: GitFailure, what: String, url: String) -> SourceError {
        SourceError(
            .fetchFailed,
            "Cannot fetch \(what) from \(RepositoryURL.redacted(url)) into \(repositoryPath(for: url)): "
                + "\(RepositoryURL.scrub(failure.message, url: url))."
        )
    }

    private func cacheError(_ failure: GitFailure, url: String, doing what: String) -> SourceError {
        SourceError(
            .cacheFailed,
            "Cannot \(what) the cache repository \(repositoryPath(for: url)) for \(RepositoryURL.redacted(url)): "
                + "\(RepositoryURL.scrub(failure.message, url: url))."
        )
    }

    /// `"main" (refs/tags/main or refs/heads/main)` for a short name, the name otherwise.
    static func describe(_ ref: GitRef) -> String {
        switch ref {
        case .shortName(let name): "\"\(name)\" (refs/tags/\(name) or refs/heads/\(name))"
        case .fullName(let name): name
        case .commit(let id): id
        }
    }
}
