import AgentSystem
import CGit2

#if canImport(Glibc)
import Glibc
#endif

extension GitCache {
    /// Writes the commit's tree read-only under `checkouts/<commit>`, or
    /// reuses an existing complete one.
    ///
    /// The tree is written to `checkouts/.tmp-<commit>-<pid>-<random>` and
    /// renamed into place, so a checkout directory that exists is complete.
    /// When another process finishes first, its checkout is used and this
    /// one removed. The commit must already be in the cache (see
    /// ``resolve(url:ref:)``); no network is used.
    ///
    /// ```swift
    /// let checkout = try cache.checkout(url: url, commit: resolved.commit)
    /// ```
    ///
    /// - Throws: ``SourceError`` with `.invalidRef` (not a 40-hex id),
    ///   `.refNotFound` (commit not in the cache), `.checkoutFailed` or `.cacheFailed`.
    public func checkout(url: String, commit: String) throws(SourceError) -> Checkout {
        guard let oid = ObjectID(hex: commit) else {
            throw SourceError(.invalidRef, "The commit id \"\(commit)\" is not 40 hexadecimal digits.")
        }
        let id = oid.hex
        let final = checkoutPath(for: id)
        try prepareDirectories()
        if try Self.isCompleteCheckout(final) { return Checkout(path: final, commit: id, reused: true) }

        try LibGit2.initialize()
        let tree = try commitTree(oid, url: url)
        let temporary = Path.join(checkoutsDirectory, ".tmp-\(id)-\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 16))")
        do throws(SourceError) {
            do throws(CheckoutProblem) {
                try tree.writer.write(tree.tree, to: temporary)
            } catch {
                let place = error.path.isEmpty ? temporary : "\(error.path) in \(temporary)"
                throw SourceError(
                    .checkoutFailed,
                    "Cannot check out commit \(id) of \(RepositoryURL.redacted(url)): \(place) \(Self.asClause(error.reason))."
                )
            }
            // Published only once its contents are on disk: after a crash a
            // checkout under its final name must never hold empty files.
            do { try FileSystem.syncFileSystem(containing: temporary) } catch {
                throw SourceError(.checkoutFailed, "Cannot check out commit \(id) of \(RepositoryURL.redacted(url)): \(error).")
            }
            if Glibc.rename(temporary, final) != 0 {
                let failure = SystemError.last("rename to \(final)", path: temporary)
                guard failure.errno == EEXIST || failure.errno == ENOTEMPTY, try Self.isCompleteCheckout(final) else {
                    throw SourceError(.checkoutFailed, "Cannot check out commit \(id) of \(RepositoryURL.redacted(url)): \(failure).")
                }
                try? FileSystem.removeTree(temporary)  // Another process finished first: use theirs.
                return Checkout(path: final, commit: id, reused: true)
            }
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
        FileSystem.syncDirectory(checkoutsDirectory)
        return Checkout(path: final, commit: id, reused: false)
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
            throw SourceError(.cacheFailed, "Cannot look up commit \(oid.hex) of \(RepositoryURL.redacted(url)) in the cache: \(error).")
        }
        guard let object = found else { throw missing }
        guard object.type == GIT_OBJECT_COMMIT else {
            throw SourceError(.notACommit, "The id \(oid.hex) names a \(object.typeName) in \(RepositoryURL.redacted(url)), not a commit.")
        }
        do throws(GitFailure) {
            return (try object.commitTree(), CheckoutWriter(repository: repository))
        } catch {
            throw SourceError(.checkoutFailed, "Cannot read the tree of commit \(oid.hex) of \(RepositoryURL.redacted(url)): \(error).")
        }
    }

    /// Whether `path` is a real directory (not a symlink to one); anything else there is an error.
    private static func isCompleteCheckout(_ path: String) throws(SourceError) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SourceError(.checkoutFailed, "The checkout path \(path) exists but is not a directory.")
        }
        return true
    }

    /// "has …" stays; a system error's "cannot …" reads as ": cannot …".
    private static func asClause(_ reason: String) -> String {
        reason.hasPrefix("cannot ") ? "failed: \(reason)" : reason
    }
}
