import AgentSystem

/// A repository on this machine (a plain path or `file://`), read in place.
struct LocalSource {
    let path: String

    /// nil for network URLs (`scheme://…` other than `file://`, or scp-like `host:path`).
    init?(url: String) {
        if url.hasPrefix("file://") {
            path = String(url.dropFirst("file://".count))
            return
        }
        if url.contains("://") || SSHAddress(url) != nil { return nil }
        path = url
    }
}

extension GitCache {
    /// Resolves `ref` in a local repository: its object directory becomes an
    /// alternate of the cache repository (no objects are copied) and the
    /// ref is copied into the cache, so checkouts read from one place.
    func resolveLocal(_ ref: GitRef, source: LocalSource, url: String, cache: Repository) throws(SourceError)
        -> ResolvedRef
    {
        let origin: Repository
        do throws(GitFailure) { origin = try Repository.open(at: source.path) } catch {
            throw SourceError(.fetchFailed, "Cannot open the repository \(source.path): \(error.message).")
        }
        let objects = origin.gitDirectory + "objects"
        let alternates = Path.join(repositoryPath(for: url), "objects/info/alternates")
        let line = Array((objects + "\n").utf8)
        if (try? FileSystem.readFile(alternates)) != line {
            do throws(SystemError) {
                try FileSystem.makeDirectories(Path.parent(of: alternates))
                try FileSystem.writeAtomically(line, to: alternates)
            } catch {
                throw SourceError(.cacheFailed, "Cannot link the cache repository to \(source.path): \(error).")
            }
        }
        guard let repository = try openRepository(for: url, create: false) else {
            throw SourceError(.cacheFailed, "The cache repository \(repositoryPath(for: url)) disappeared.")
        }
        var resolved: ResolvedRef
        switch ref {
        case .commit(let id):
            guard let oid = ObjectID(hex: id) else {
                throw SourceError(.invalidRef, "The commit id \"\(id)\" is not 40 hexadecimal digits.")
            }
            guard try cachedCommit(oid, url: url, in: repository) else {
                throw SourceError(.refNotFound, "The commit \(oid.hex) does not exist in \(url).")
            }
            resolved = ResolvedRef(commit: oid.hex, fetched: true)
        case .fullName, .shortName:
            var found: String?
            for name in ref.candidateNames where try sourceTarget(name, in: origin, source: source) != nil {
                found = name
                break
            }
            guard let name = found else {
                throw SourceError(.refNotFound, "The ref \(Self.describe(ref)) does not exist in \(url).")
            }
            let target = try copyReference(name, from: origin, source: source, into: repository, url: url)
            resolved = try peelToCommit(target.now, name: name, url: url, in: repository)
            try checkTagNotMoved(name, previous: target.previous, now: target.now, url: url, in: repository)
        }
        var tip: ObjectID?
        if let branch = requirements.ancestorOf {
            guard try sourceTarget(branch, in: origin, source: source) != nil else {
                throw missingAncestor(branch, url: url)
            }
            tip = try copyReference(branch, from: origin, source: source, into: repository, url: url).now
        }
        guard !requirements.needsNoCheck else { return resolved }
        return try verify(resolved, ancestorTip: tip, url: url, in: repository)
    }

    /// Copies `name` from the source repository into the cache; returns the cache's old and new targets.
    /// What `name` points to in the source repository (nil: no such ref); a read error is a fetch failure.
    private func sourceTarget(_ name: String, in origin: Repository, source: LocalSource) throws(SourceError)
        -> ObjectID?
    {
        do throws(GitFailure) { return try origin.referenceTarget(name) } catch {
            throw SourceError(.fetchFailed, "Cannot read \(name) in \(source.path): \(error.message).")
        }
    }

    private func copyReference(
        _ name: String, from origin: Repository, source: LocalSource, into repository: Repository, url: String
    ) throws(SourceError) -> (previous: ObjectID?, now: ObjectID) {
        guard let target = try sourceTarget(name, in: origin, source: source) else {
            throw SourceError(.refNotFound, "The ref \(name) does not exist in \(url).")
        }
        do throws(GitFailure) {
            let previous = try repository.referenceTarget(name)
            try repository.setReference(name, to: target)
            return (previous, target)
        } catch {
            throw cacheError(error, url: url, doing: "record \(name) in")
        }
    }
}
