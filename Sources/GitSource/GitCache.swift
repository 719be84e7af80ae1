import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// One bare repository per repository URL under `directory/repos/`,
/// checkouts under `directory/checkouts/`.
///
/// ```swift
/// let cache = GitCache(directory: "/var/cache/sf-agent/git")
/// let resolved = try cache.resolve(url: "https://git.example/scripts.git", ref: .shortName("main"))
/// let checkout = try cache.checkout(url: "https://git.example/scripts.git", commit: resolved.commit)
/// // run checkout.path + "/deploy.sh"
/// ```
///
/// Several agents may share one cache. Each repository is fetched under an
/// exclusive `flock` on `repos/<name>.git.lock`; a checkout is written under
/// an exclusive lock on `checkouts/<commit>.lock`, appears by an atomic
/// rename and counts as complete only once `checkouts/<commit>.complete`
/// exists. A job holds a shared lock on its checkout while it runs, so
/// `sf-agent gc` never removes a checkout in use.
package struct GitCache: Sendable {
    /// The cache's root directory.
    package var directory: String
    /// Time limit, attempts and credentials for the network.
    package var fetch: FetchSettings
    /// How long to wait for another agent's lock on a repository or checkout.
    package var lockTimeout: Duration
    /// Ancestry, signature and tag rules every resolved commit must satisfy.
    package var requirements: RefRequirements

    /// A cache rooted at `directory`, created on first use.
    package init(
        directory: String, fetch: FetchSettings = FetchSettings(), lockTimeout: Duration = .seconds(600),
        requirements: RefRequirements = RefRequirements()
    ) {
        self.directory = directory
        self.fetch = fetch
        self.lockTimeout = lockTimeout
        self.requirements = requirements
    }

    /// Where the bare repository for `url` lives:
    /// `repos/<first 16 hex of sha256(url without credentials)>-<last path component>.git`.
    ///
    /// ```swift
    /// cache.repositoryPath(for: "https://git.example/ops/scripts.git")
    /// // "<directory>/repos/5d41402abc4b2a76-scripts.git"
    /// ```
    package func repositoryPath(for url: String) -> String {
        let redacted = RepositoryURL.redacted(url)
        let hash = Digest.sha256(Array(redacted.utf8)).prefix(16)
        return Path.join(repositoriesDirectory, "\(hash)-\(Self.sanitizedName(of: redacted)).git")
    }

    /// The directory a checkout of `commit` (40 hex) has once written.
    package func checkoutPath(for commit: String) -> String {
        Path.join(checkoutsDirectory, commit.lowercased())
    }

    /// `directory/repos`.
    package var repositoriesDirectory: String { Path.join(directory, "repos") }

    /// `directory/checkouts`.
    package var checkoutsDirectory: String { Path.join(directory, "checkouts") }

    /// The URL's last path component, without `.git`, reduced to `[A-Za-z0-9._-]`.
    static func sanitizedName(of url: String) -> String {
        var last = Substring(url)
        while last.hasSuffix("/") { last = last.dropLast() }
        if let cut = last.lastIndex(where: { $0 == "/" || $0 == ":" }) { last = last[last.index(after: cut)...] }
        if last.hasSuffix(".git") { last = last.dropLast(4) }
        var name = String(
            last.prefix(64).map { character -> Character in
                character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character))
                    ? character : "_"
            })
        while name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name.isEmpty ? "repo" : name
    }

    /// Creates the cache layout: the root and `checkouts/` traversable by
    /// other users (0755), so a job running under another uid can read a checkout.
    func prepareDirectories() throws(SourceError) {
        do throws(SystemError) {
            try FileSystem.makeDirectories(directory, mode: 0o755)
            try Self.makeTraversable(directory)
            try FileSystem.makeDirectories(repositoriesDirectory, mode: 0o755)
            try FileSystem.makeDirectories(checkoutsDirectory, mode: 0o755)
            var info = stat()
            if system_lstat(checkoutsDirectory, &info) == 0 && (info.st_mode & 0o7777) != 0o755 {
                try FileSystem.changeMode(checkoutsDirectory, 0o755)
            }
        } catch {
            throw SourceError(.cacheFailed, "Cannot prepare the git cache directory \(directory): \(error).")
        }
    }

    /// Adds search (x) permission for everyone to `path` if it lacks it.
    private static func makeTraversable(_ path: String) throws(SystemError) {
        var info = stat()
        guard system_stat(path, &info) == 0 else { throw .last("inspect", path: path) }
        let mode = info.st_mode & 0o7777
        if mode & 0o111 != 0o111 { try FileSystem.changeMode(path, mode | 0o111) }
    }

    /// Opens the bare repository for `url`, creating it when `create` is true.
    /// Returns nil when it does not exist and `create` is false.
    func openRepository(for url: String, create: Bool) throws(SourceError) -> Repository? {
        let path = repositoryPath(for: url)
        do throws(GitFailure) {
            if FileSystem.isDirectory(path) {
                do throws(GitFailure) {
                    return try Repository.openBare(at: path)
                } catch  where error.isNotFound && create {
                    return try Repository.initBare(at: path)  // A directory left half-made.
                }
            }
            return create ? try Repository.initBare(at: path) : nil
        } catch {
            throw SourceError(
                FileSystem.exists(path) ? .cacheDamaged : .cacheFailed,
                "Cannot open the cache repository \(path) for \(RepositoryURL.redacted(url)): \(RepositoryURL.scrub(error.message, url: url))."
            )
        }
    }
}
