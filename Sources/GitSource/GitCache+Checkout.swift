import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

extension GitCache {
    /// Writes the commit's tree read-only under `checkouts/<commit>`, or
    /// reuses an existing complete one.
    ///
    /// The tree is written to `checkouts/.tmp-<commit>-<pid>-<random>` under
    /// an exclusive lock on `checkouts/<commit>.lock`, renamed into place,
    /// and only then marked complete by `checkouts/<commit>.complete`. A
    /// checkout directory without that stamp (a crash between the two) is
    /// moved aside and written again. The returned ``Checkout`` holds a
    /// shared lock on the checkout. The commit must already be in the cache
    /// (see ``resolve(url:ref:)``); no network is used.
    ///
    /// ```swift
    /// let checkout = try cache.checkout(url: url, commit: resolved.commit)
    /// ```
    ///
    /// - Throws: ``SourceError`` with `.invalidRef` (not a 40-hex id),
    ///   `.refNotFound` (commit not in the cache), `.checkoutFailed`,
    ///   `.cacheDamaged` (objects missing or unreadable), `.lockTimeout` or `.cacheFailed`.
    package func checkout(url: String, commit: String) throws(SourceError) -> Checkout {
        guard let oid = ObjectID(hex: commit) else {
            throw SourceError(.invalidRef, "The commit id \"\(commit)\" is not 40 hexadecimal digits.")
        }
        let id = oid.hex
        let final = checkoutPath(for: id)
        try prepareDirectories()
        let lease = try lock(final + ".lock", exclusive: false, what: "the checkout of \(id)")
        if try isCompleteCheckout(id) {
            Self.touch(stampPath(for: id))
            return Checkout(path: final, commit: id, reused: true, lease: lease)
        }
        let won = try relock(lease, exclusive: true, id: id) { (try? isCompleteCheckout(id)) == true }
        if won ? try isCompleteCheckout(id) : true {  // Another agent finished while we waited.
            try relock(lease, exclusive: false, id: id)
            // Without the exclusive lock no lock was held for a moment (a failed
            // conversion drops the old one): `gc` may have removed it meanwhile.
            guard try isCompleteCheckout(id) else { return try checkout(url: url, commit: commit) }
            return Checkout(path: final, commit: id, reused: true, lease: lease)
        }
        let repaired = FileSystem.exists(final)
        if repaired {
            Self.note(
                "the checkout \(final) is incomplete (no \(Path.lastComponent(of: stampPath(for: id)))); writing it again"
            )
            try discard(final, id: id)
        }

        try LibGit2.initialize()
        if LocalSource(url: url) != nil { try LibGit2.verifyObjectHashes() }
        let repositoryLock = try lockRepository(url, exclusive: false)
        let tree = try commitTree(oid, url: url)
        let temporary = Path.join(
            checkoutsDirectory,
            ".tmp-\(id)-\(ProcessIdentity.processID)-\(String(UInt64.random(in: .min ... .max), radix: 16))")
        do throws(SourceError) {
            do throws(CheckoutProblem) {
                try tree.writer.write(tree.tree, to: temporary)
            } catch {
                let place = error.path.isEmpty ? temporary : "\(error.path) in \(temporary)"
                throw SourceError(
                    error.damaged ? .cacheDamaged : .checkoutFailed,
                    "Cannot check out commit \(id) of \(RepositoryURL.redacted(url)): \(place) \(Self.asClause(error.reason))."
                )
            }
            withExtendedLifetime(repositoryLock) {}
            // Published only once its contents are on disk: after a crash a
            // checkout under its final name must never hold empty files.
            do { try FileSystem.syncFileSystem(containing: temporary) } catch {
                throw SourceError(
                    .checkoutFailed, "Cannot check out commit \(id) of \(RepositoryURL.redacted(url)): \(error).")
            }
            if system_rename(temporary, final) != 0 {
                throw SourceError(
                    .checkoutFailed,
                    "Cannot check out commit \(id) of \(RepositoryURL.redacted(url)): \(SystemError.last("rename to \(final)", path: temporary))."
                )
            }
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
        FileSystem.syncDirectory(checkoutsDirectory)
        do throws(SystemError) {
            // The committer time too: a job's SOURCE_DATE_EPOCH, known even once the source repository is gone.
            let committed =
                (try? committerTimeFromRepository(url: url, commit: id)).flatMap { $0 }.map { "committer \($0)\n" }
                ?? ""
            try FileSystem.writeAtomically(
                Array("tree \(tree.tree.id.hex)\n\(committed)".utf8), to: stampPath(for: id))
        } catch {
            throw SourceError(.checkoutFailed, "Cannot mark the checkout \(final) complete: \(error).")
        }
        try relock(lease, exclusive: false, id: id)
        return Checkout(path: final, commit: id, reused: false, repaired: repaired, lease: lease)
    }

    /// `checkouts/<commit>.complete`: written last; its mtime is the last use.
    func stampPath(for commit: String) -> String { checkoutPath(for: commit) + ".complete" }

    /// Moves `path` aside and deletes it (a reader of the old tree keeps its open files).
    func discard(_ path: String, id: String) throws(SourceError) {
        let trash = Path.join(
            checkoutsDirectory, ".trash-\(id)-\(ProcessIdentity.processID)-\(UInt32.random(in: .min ... .max))")
        do throws(SystemError) {
            system_unlink(stampPath(for: id))
            if FileSystem.exists(path) { try FileSystem.rename(path, to: trash) }
            try FileSystem.removeTree(trash)
        } catch {
            throw SourceError(.checkoutFailed, "Cannot remove the incomplete checkout \(path): \(error).")
        }
    }

    /// Converts the checkout's lease; false when `satisfied` turned true first (see ``FileLock/relock(exclusive:timeout:stop:unlessMeanwhile:)``).
    @discardableResult
    private func relock(
        _ lease: FileLock, exclusive: Bool, id: String, unlessMeanwhile satisfied: () -> Bool = { false }
    ) throws(SourceError) -> Bool {
        do throws(FileLock.Failure) {
            return try lease.relock(
                exclusive: exclusive, timeout: lockTimeout, stop: fetch.stop, unlessMeanwhile: satisfied)
        } catch {
            throw lockError(error, path: lease.path, what: "the checkout of \(id)")
        }
    }

    /// Sets a file's modification time to now (best effort).
    static func touch(_ path: String) {
        _ = utimensat(AT_FDCWD, path, nil, 0)
    }

    /// The commit's tree and a writer for it, from the cache repository.
    private func commitTree(_ oid: ObjectID, url: String) throws(SourceError) -> (tree: Tree, writer: CheckoutWriter) {
        let missing = SourceError(
            .refNotFound,
            "The commit \(oid.hex) of \(RepositoryURL.redacted(url)) is not in the cache \(repositoryPath(for: url)); resolve it first."
        )
        guard let repository = try openRepository(for: url, create: false) else { throw missing }
        let found: GitObject?
        do throws(GitFailure) {
            found = try repository.object(oid)
        } catch {
            throw cacheError(error, url: url, doing: "look up commit \(oid.hex) in")
        }
        guard let object = found else { throw missing }
        guard object.type == .commit else {
            throw SourceError(
                .notACommit,
                "The id \(oid.hex) names a \(object.typeName) in \(RepositoryURL.redacted(url)), not a commit.")
        }
        do throws(GitFailure) {
            return (try object.commitTree(), CheckoutWriter(repository: repository))
        } catch {
            throw SourceError(
                .cacheDamaged, "Cannot read the tree of commit \(oid.hex) of \(RepositoryURL.redacted(url)): \(error).")
        }
    }

    /// Whether the checkout of `id` is a real directory (not a symlink) with its completion stamp.
    func isCompleteCheckout(_ id: String) throws(SourceError) -> Bool {
        var info = stat()
        let path = checkoutPath(for: id)
        guard system_lstat(path, &info) == 0 else { return false }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SourceError(.checkoutFailed, "The checkout path \(path) exists but is not a directory.")
        }
        return FileSystem.exists(stampPath(for: id))
    }

    /// "has …" stays; a system error's "cannot …" reads as ": cannot …".
    private static func asClause(_ reason: String) -> String {
        reason.hasPrefix("cannot ") ? "failed: \(reason)" : reason
    }
}
