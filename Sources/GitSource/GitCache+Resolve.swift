import AgentSystem

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
    /// - A repository on a local path (or `file://`) is not fetched through
    ///   libgit2's slow local transport: its object directory becomes an
    ///   alternate of the cache repository and its refs are read directly.
    ///
    /// - Then ``requirements`` apply, before anything is checked out: a tag
    ///   the cache knew at another commit is refused (and kept where it
    ///   was); the `ancestorOf` branch is fetched with the ref (for a cached
    ///   commit too: ancestry is judged against the branch as it is now) and
    ///   the commit must be reachable from it; then the commit's or the
    ///   tag's signature must verify (see ``SignatureVerifier``).
    ///
    /// The repository is locked exclusively meanwhile (``lockTimeout``).
    /// Every network attempt is bounded by ``FetchSettings/timeout``; a
    /// transient failure is retried (``FetchSettings/attempts``) with
    /// exponential backoff and jitter. A damaged cache repository is rebuilt once.
    ///
    /// ```swift
    /// let resolved = try cache.resolve(url: url, ref: try GitRef(parsing: "v1.2"))
    /// ```
    ///
    /// - Throws: ``SourceError`` with `.fetchFailed`, `.refNotFound`,
    ///   `.notACommit`, `.invalidRef`, `.lockTimeout`, `.cacheDamaged`, `.cacheFailed`,
    ///   `.refused` (a rule, named by ``SourceError/rule``) or `.verificationFailed`.
    package func resolve(url: String, ref: GitRef) throws(SourceError) -> ResolvedRef {
        try LibGit2.initialize()
        try prepareDirectories()
        let lock = try lockRepository(url, exclusive: true)
        return try withExtendedLifetime(lock) { () throws(SourceError) -> ResolvedRef in
            do throws(SourceError) {
                return try resolveLocked(url: url, ref: ref)
            } catch  where error.code == .cacheDamaged {
                Self.note(
                    "the cache repository \(repositoryPath(for: url)) is damaged (\(error.message)); rebuilding it")
                try removeRepository(url)
                var resolved = try resolveLocked(url: url, ref: ref)
                resolved.rebuilt = true
                return resolved
            }
        }
    }

    private func resolveLocked(url: String, ref: GitRef) throws(SourceError) -> ResolvedRef {
        guard let repository = try openRepository(for: url, create: true) else {
            throw SourceError(.cacheFailed, "Cannot create the cache repository \(repositoryPath(for: url)).")
        }
        if let source = LocalSource(url: url) {
            try LibGit2.verifyObjectHashes()
            return try resolveLocal(ref, source: source, url: url, cache: repository)
        }
        var resolved: ResolvedRef
        var tip: ObjectID?
        switch ref {
        case .commit(let id):
            resolved = try resolveCommit(id, url: url, in: repository)
            if let branch = requirements.ancestorOf {
                // Ancestry is checked against the branch as it is now, never a cached copy.
                let fetched = try fetchAncestorBranch(branch, url: url)
                tip = fetched.tip
                resolved.fetched = true
                resolved.attempts += fetched.attempts
            }
        case .fullName, .shortName:
            (resolved, tip) = try resolveName(ref, url: url, in: repository)
        }
        guard requirements.ancestorOf != nil || requirements.signatures != .off else { return resolved }
        guard let current = try openRepository(for: url, create: false) else {
            throw SourceError(
                .cacheFailed, "The cache repository \(repositoryPath(for: url)) disappeared during the fetch.")
        }
        return try verify(resolved, ancestorTip: tip, url: url, in: current)
    }

    private func resolveCommit(_ id: String, url: String, in repository: Repository) throws(SourceError) -> ResolvedRef
    {
        guard let oid = ObjectID(hex: id) else {
            throw SourceError(.invalidRef, "The commit id \"\(id)\" is not 40 hexadecimal digits.")
        }
        if try cachedCommit(oid, url: url, in: repository) {
            return ResolvedRef(commit: oid.hex, fetched: false)
        }
        let attempts = try network(.commit(oid.hex), describing: "commit \(oid.hex)", url: url).attempts
        guard let reopened = try openRepository(for: url, create: false), try cachedCommit(oid, url: url, in: reopened)
        else {
            throw SourceError(
                .refNotFound,
                "The commit \(oid.hex) does not exist in \(RepositoryURL.redacted(url)) (it is on no branch or tag)."
            )
        }
        return ResolvedRef(commit: oid.hex, fetched: true, attempts: attempts)
    }

    /// Whether the cache holds `oid` as a commit; throws `.notACommit` for another kind of object.
    func cachedCommit(_ oid: ObjectID, url: String, in repository: Repository) throws(SourceError) -> Bool {
        let object: GitObject?
        do throws(GitFailure) {
            object = try repository.object(oid)
        } catch {
            throw cacheError(error, url: url, doing: "look up commit \(oid.hex) in")
        }
        guard let object else { return false }
        guard object.type == .commit else {
            throw SourceError(
                .notACommit,
                "The id \(oid.hex) names a \(object.typeName) in \(RepositoryURL.redacted(url)), not a commit."
            )
        }
        return true
    }

    /// Fetches the name (and the `policy.require_ancestor_of` branch, in
    /// the same session) and resolves it; returns the branch's tip too.
    private func resolveName(_ ref: GitRef, url: String, in repository: Repository) throws(SourceError) -> (
        ResolvedRef, ObjectID?
    ) {
        let candidates = ref.candidateNames
        var previous: [String: ObjectID] = [:]
        for name in candidates {
            do throws(GitFailure) { previous[name] = try repository.referenceTarget(name) } catch {
                throw cacheError(error, url: url, doing: "read \(name) in")
            }
        }
        var wanted = candidates
        if let branch = requirements.ancestorOf, !wanted.contains(branch) { wanted.append(branch) }
        let (outcome, attempts) = try network(.names(wanted), describing: Self.describe(ref), url: url)
        guard let name = candidates.first(where: { outcome.advertised[$0] != nil }),
            let hex = outcome.advertised[name], let expected = ObjectID(hex: hex)
        else {
            throw SourceError(
                .refNotFound, "The ref \(Self.describe(ref)) does not exist in \(RepositoryURL.redacted(url)).")
        }
        let local = try localTip(name, advertised: expected, url: url)
        guard let fetched = try openRepository(for: url, create: false) else {
            throw SourceError(
                .cacheFailed, "The cache repository \(repositoryPath(for: url)) disappeared during the fetch.")
        }
        try checkTagNotMoved(name, previous: previous[name], now: local, url: url, in: fetched)
        var resolved = try peelToCommit(local, name: name, url: url, in: fetched)
        resolved.attempts = attempts
        guard let branch = requirements.ancestorOf else { return (resolved, nil) }
        guard let tipHex = outcome.advertised[branch], let tip = ObjectID(hex: tipHex) else {
            throw missingAncestor(branch, url: url)
        }
        return (resolved, try localTip(branch, advertised: tip, url: url))
    }

    /// Resolves what `name` points to: a commit, or an annotated tag peeled to one.
    func peelToCommit(_ id: ObjectID, name: String, url: String, in repository: Repository) throws(SourceError)
        -> ResolvedRef
    {
        let target: GitObject
        let peeled: GitObject
        do throws(GitFailure) {
            guard let object = try repository.object(id) else { throw GitFailure.missingObject(id) }
            target = object
            peeled = object.type == .tag ? try object.peelTags() : object
        } catch {
            throw cacheError(error, url: url, doing: "read \(name) (\(id.hex)) in")
        }
        guard peeled.type == .commit else {
            throw SourceError(
                .notACommit,
                "The ref \(name) in \(RepositoryURL.redacted(url)) names a \(peeled.typeName) (\(peeled.id.hex)), not a commit."
            )
        }
        let tag = target.type == .tag ? target.id.hex : nil
        return ResolvedRef(commit: peeled.id.hex, refName: name, tagObject: tag, fetched: true)
    }

    /// A libgit2 failure while reading the cache: odb, pack and zlib errors mean damage.
    func cacheError(_ failure: GitFailure, url: String, doing what: String) -> SourceError {
        SourceError(
            failure.isDamage ? .cacheDamaged : .cacheFailed,
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

    /// One line on stderr, prefixed like the agent's own lines.
    static func note(_ message: String) {
        var bytes = Array("sf-agent: \(message)\n".utf8)
        _ = bytes.withUnsafeMutableBytes { system_write(2, $0.baseAddress, $0.count) }
    }
}
