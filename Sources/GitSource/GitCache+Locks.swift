import AgentSystem
import ConfigKeys

#if canImport(Glibc)
import Glibc
#endif

extension GitCache {
    /// `repos/<name>.git.lock`: exclusive while fetching or rebuilding,
    /// shared while a checkout is written from the repository.
    func lockRepository(_ url: String, exclusive: Bool) throws(SourceError) -> FileLock {
        let path = repositoryPath(for: url) + ".lock"
        return try lock(path, exclusive: exclusive, what: "the cache repository for \(RepositoryURL.redacted(url))")
    }

    /// Takes a lock or says which one timed out.
    func lock(_ path: String, exclusive: Bool, what: String) throws(SourceError) -> FileLock {
        do throws(FileLock.Failure) {
            return try FileLock.acquire(path, exclusive: exclusive, timeout: lockTimeout, stop: fetch.stop)
        } catch {
            throw lockError(error, path: path, what: what)
        }
    }

    /// A lock failure as a ``SourceError``: `.lockTimeout` names the lock and the key.
    func lockError(_ failure: FileLock.Failure, path: String, what: String) -> SourceError {
        switch failure {
        case .timedOut:
            SourceError(
                .lockTimeout,
                "Another agent held \(path) (\(what)) for longer than \(ConfigKey.cacheLockTimeout) (\(lockTimeout.milliseconds / 1000)s); try again later."
            )
        case .stopped:
            SourceError(.cancelled, "The agent was told to stop while waiting for \(path) (\(what)); nothing ran.")
        case .system(let error):
            SourceError(.cacheFailed, "Cannot lock \(what): \(error).")
        }
    }

    /// Moves a damaged repository aside and deletes it. Call with its exclusive lock held.
    func removeRepository(_ url: String) throws(SourceError) {
        let path = repositoryPath(for: url)
        let trash = Path.join(
            repositoriesDirectory,
            ".trash-\(Path.lastComponent(of: path))-\(ProcessIdentity.processID)-\(UInt32.random(in: .min ... .max))")
        do throws(SystemError) {
            if FileSystem.exists(path) { try FileSystem.rename(path, to: trash) }
            try FileSystem.removeTree(trash)
        } catch {
            throw SourceError(.cacheFailed, "Cannot remove the damaged cache repository \(path): \(error).")
        }
    }

    /// Removes a damaged repository under its exclusive lock, so the next resolve clones it anew.
    package func rebuildRepository(_ url: String) throws(SourceError) {
        let lock = try lockRepository(url, exclusive: true)
        try withExtendedLifetime(lock) { () throws(SourceError) in try removeRepository(url) }
    }
}
