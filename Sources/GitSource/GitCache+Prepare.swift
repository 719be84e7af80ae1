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
    package func prepare(url: String, ref: GitRef) throws(SourceError) -> (resolved: ResolvedRef, checkout: Checkout) {
        if case .commit(let id) = ref, requirements.needsNoCheck, let checkout = try existingCheckout(id) {
            // Warm pinned start: no network, no lock; the commit object is only read.
            var resolved = ResolvedRef(commit: checkout.commit, fetched: false)
            resolved.committedAt = committerTime(url: url, commit: checkout.commit)
            return (resolved, checkout)
        }
        var resolved = try resolve(url: url, ref: ref)
        let checkout: Checkout
        do throws(SourceError) {
            checkout = try timedCheckout(url: url, commit: resolved.commit)
        } catch  where error.code == .cacheDamaged {
            Self.note("the cache repository \(repositoryPath(for: url)) is damaged (\(error.message)); rebuilding it")
            try rebuildRepository(url)
            resolved = try resolve(url: url, ref: ref)
            resolved.rebuilt = true
            checkout = try timedCheckout(url: url, commit: resolved.commit)
        }
        resolved.committedAt = committerTime(url: url, commit: resolved.commit)
        return (resolved, checkout)
    }

    /// The committer time of `commit` (seconds since the epoch): a job's
    /// `SOURCE_DATE_EPOCH`. Read from the checkout's `.complete` stamp
    /// (which records it), else from the commit object in the cache
    /// repository; nil when neither has it (a checkout written by an older
    /// agent whose source repository is gone).
    package func committerTime(url: String, commit: String) -> Int64? {
        if let stamp = try? FileSystem.readFile(stampPath(for: commit)), let time = Self.committerTime(inStamp: stamp) {
            return time
        }
        return try? committerTimeFromRepository(url: url, commit: commit)
    }

    /// The `committer <seconds>` line of a checkout stamp.
    static func committerTime(inStamp stamp: [UInt8]) -> Int64? {
        for line in stamp.split(separator: UInt8(ascii: "\n")) where line.starts(with: "committer ".utf8) {
            return Int64(String(decoding: line.dropFirst("committer ".utf8.count), as: UTF8.self))
        }
        return nil
    }

    /// The committer time as the commit object in the cache repository says.
    func committerTimeFromRepository(url: String, commit: String) throws(SourceError) -> Int64? {
        try LibGit2.initialize()
        guard let oid = ObjectID(hex: commit), let repository = try openRepository(for: url, create: false) else {
            return nil
        }
        do throws(GitFailure) { return CommitHeader.committerTime(try repository.rawObject(oid)) } catch {
            throw cacheError(error, url: url, doing: "read commit \(commit) in")
        }
    }

    /// Whether the cache still holds `commit` (for `sf-agent verify` and `replay`).
    package func holdsCommit(url: String, commit: String) throws(SourceError) -> Bool {
        try LibGit2.initialize()
        guard let oid = ObjectID(hex: commit), let repository = try openRepository(for: url, create: false) else {
            return false
        }
        return try cachedCommit(oid, url: url, in: repository)
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

extension GitCache {
    /// The SHA-256 of the file at `path` (relative to the checkout's top) in
    /// `commit`, read from the cache: the complete checkout when there is
    /// one, else the blob in the cache repository. Nil when the cache holds
    /// neither the checkout nor the commit.
    ///
    /// - Throws: ``SourceError`` when the commit is cached but has no regular
    ///   file at `path`, or the cache cannot be read.
    package func fileSHA256(url: String, commit: String, path: String) throws(SourceError) -> String? {
        guard let oid = ObjectID(hex: commit) else {
            throw SourceError(.invalidRef, "The commit id \"\(commit)\" is not 40 hexadecimal digits.")
        }
        if FileSystem.exists(stampPath(for: oid.hex)) {
            // A script may be a link to another file of the checkout, as the
            // script resolver allows: the digest is of the file it names.
            let top = checkoutPath(for: oid.hex)
            let topResolved: String
            let file: String
            do throws(SystemError) {
                topResolved = try FileSystem.realPath(top)
                file = try FileSystem.realPath(Path.join(top, path))
            } catch {
                throw SourceError(
                    .refNotFound, "The checkout of \(oid.hex) in the cache has no readable \(path): \(error).")
            }
            guard Path.isInside(file, directory: topResolved) else {
                throw SourceError(.refNotFound, "\(path) in the checkout of \(oid.hex) leads out of the checkout.")
            }
            do throws(SystemError) { return try Digest.sha256(ofFile: file) } catch {
                throw SourceError(
                    .refNotFound, "The checkout of \(oid.hex) in the cache has no readable \(path): \(error).")
            }
        }
        try LibGit2.initialize()
        guard let repository = try openRepository(for: url, create: false),
            try cachedCommit(oid, url: url, in: repository)
        else { return nil }
        let digest: String?
        do throws(GitFailure) { digest = try Self.blobSHA256(in: repository, commit: oid, path: path) } catch {
            throw cacheError(error, url: url, doing: "read \(path) at \(oid.hex) in")
        }
        guard let digest else {
            throw SourceError(.refNotFound, "Commit \(oid.hex) in \(RepositoryURL.redacted(url)) has no file \(path).")
        }
        return digest
    }

    /// The SHA-256 of the blob at `path` in `commit`'s tree, following
    /// symbolic links that stay inside the tree (at most 8, as the checkout
    /// would resolve them); nil when there is no such file.
    private static func blobSHA256(in repository: Repository, commit: ObjectID, path: String) throws(GitFailure)
        -> String?
    {
        guard let commitObject = try repository.object(commit) else { return nil }
        let tree = try commitObject.commitTree()
        var current = path
        for _ in 0...8 {
            guard let entry = tree.entry(atPath: current), entry.type == .blob,
                let blob = try repository.object(entry.id, type: .blob)
            else { return nil }
            let bytes = blob.withBlobContents { Array($0) }
            guard entry.mode == .link else { return Digest.sha256(bytes) }
            let target = String(decoding: bytes, as: UTF8.self)
            guard !target.hasPrefix("/"), let next = Self.treePath(Path.join(Path.parent(of: current), target)) else {
                return nil
            }
            current = next
        }
        return nil
    }

    /// `path` with `.` and `..` resolved inside the tree; nil when it leaves it.
    static func treePath(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
