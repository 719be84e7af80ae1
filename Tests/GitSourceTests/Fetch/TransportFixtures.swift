import Foundation

@testable import GitSource

/// A cache whose fetches run in the real `sf-agent fetch-worker`, as the agent does.
func workerCache(_ root: String, access: GitAccess, attempts: Int = 3, timeout: Duration = .seconds(60)) -> GitCache {
    let settings = FetchSettings(
        timeout: timeout, attempts: attempts, initialBackoff: .milliseconds(200), access: access,
        worker: BoundedFetchTests.worker)
    return GitCache(
        directory: root + "/cache-\(UUID().uuidString.prefix(6))", fetch: settings, lockTimeout: .seconds(20))
}

/// Runs `body`, which must throw a ``SourceError``; returns it, or nil (a
/// test's `#require` then fails) when it succeeded or threw something else.
func expectFailure(_ body: () throws -> Void) -> SourceError? {
    do {
        try body()
        return nil
    } catch {
        return error as? SourceError
    }
}

/// Writes `text` into a new file under `root` (0600) and returns its path.
func secretFile(_ root: String, _ name: String, _ text: String) throws -> String {
    let path = root + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o600)
    return path
}
