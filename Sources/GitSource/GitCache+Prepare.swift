import AgentSystem

extension GitCache {
    /// Resolves `ref` and checks it out, rebuilding a damaged cache on the
    /// way: a repository with missing objects or a truncated pack is
    /// removed and fetched again once, without failing the job. A pinned
    /// commit with a complete checkout needs neither the repository nor the
    /// network, unless ``requirements`` ask for a check.
    ///
    /// ```swift
    /// let (resolved, checkout) = try cache.prepare(url: url, ref: .commit(id))
    /// // checkout.lease keeps `sf-agent gc` away while the job runs
    /// ```
    ///
    /// - Throws: ``SourceError`` as ``resolve(url:ref:)`` and ``checkout(url:commit:)`` do.
    public func prepare(url: String, ref: GitRef) throws(SourceError) -> (resolved: ResolvedRef, checkout: Checkout) {
        if case .commit(let id) = ref, requirements.needsNoCheck, let checkout = try existingCheckout(id) {
            return (ResolvedRef(commit: checkout.commit, fetched: false), checkout)  // Warm pinned start: no repository, no network.
        }
        var resolved = try resolve(url: url, ref: ref)
        do throws(SourceError) {
            return (resolved, try timedCheckout(url: url, commit: resolved.commit))
        } catch where error.code == .cacheDamaged {
            Self.note("the cache repository \(repositoryPath(for: url)) is damaged (\(error.message)); rebuilding it")
            try rebuildRepository(url)
            resolved = try resolve(url: url, ref: ref)
            resolved.rebuilt = true
            return (resolved, try timedCheckout(url: url, commit: resolved.commit))
        }
    }

    private func timedCheckout(url: String, commit: String) throws(SourceError) -> Checkout {
        let start = ContinuousClock.now
        var written = try checkout(url: url, commit: commit)
        written.duration = ContinuousClock.now - start
        return written
    }

    /// The complete checkout of `id` with a shared lease on it, or nil.
    func existingCheckout(_ id: String) throws(SourceError) -> Checkout? {
        guard let oid = ObjectID(hex: id) else { return nil }
        try prepareDirectories()
        let path = checkoutPath(for: oid.hex)
        guard FileSystem.exists(stampPath(for: oid.hex)) else { return nil }
        let lease = try lock(path + ".lock", exclusive: false, what: "the checkout of \(oid.hex)")
        guard try isCompleteCheckout(oid.hex) else { return nil }
        Self.touch(stampPath(for: oid.hex))
        return Checkout(path: path, commit: oid.hex, reused: true, lease: lease)
    }
}
