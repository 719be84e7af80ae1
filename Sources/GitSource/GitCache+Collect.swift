import AgentSystem
import ConfigKeys

#if canImport(Glibc)
import Glibc
#endif

extension GitCache {
    /// Removes checkouts not used for `keepDays` days, then the least
    /// recently used ones while the checkouts use more than `maxBytes`
    /// (0: no limit), and leftovers of crashed agents (`.tmp-*`, `.trash-*`,
    /// checkouts without their `.complete` stamp) older than an hour.
    ///
    /// A checkout is removed only under a non-blocking exclusive lock on
    /// `checkouts/<commit>.lock`: a running job holds that lock shared, so a
    /// checkout in use is never removed (it is listed in ``CacheCollection/inUse``).
    /// Repositories are kept.
    ///
    /// ```swift
    /// let report = try cache.collectGarbage(keepDays: 14, maxBytes: 0)
    /// ```
    package func collectGarbage(keepDays: Int, maxBytes: Int64, now: Int = Int(time(nil))) throws(SourceError)
        -> CacheCollection
    {
        try prepareDirectories()
        var report = CacheCollection()
        let names: [String]
        do { names = try FileSystem.directoryEntries(checkoutsDirectory) } catch {
            throw SourceError(.cacheFailed, "Cannot list \(checkoutsDirectory): \(error).")
        }
        var candidates: [CacheCollection.Item] = []
        for name in names {
            let path = Path.join(checkoutsDirectory, name)
            if name.hasPrefix(".tmp-") || name.hasPrefix(".trash-") {
                let commit = String(name.split(separator: "-").dropFirst().first ?? "")
                if Self.modified(path) < now - 3600,
                    let lock = try? FileLock.attempt(path: checkoutPath(for: commit) + ".lock")
                {
                    try? FileSystem.removeTree(path)
                    withExtendedLifetime(lock) {}
                }
                continue
            }
            guard ObjectID.isFullHex(name), FileSystem.isDirectory(path) else { continue }
            let stamp = stampPath(for: name)
            let complete = FileSystem.exists(stamp)
            let lastUsed = complete ? Self.modified(stamp) : Self.modified(path)
            candidates.append(
                .init(
                    commit: name, bytes: Self.diskUsage(path), lastUsed: lastUsed, reason: complete ? "" : "incomplete")
            )
        }
        candidates.sort { $0.lastUsed < $1.lastUsed }
        var total = candidates.reduce(Int64(0)) { $0 + $1.bytes }
        let cutoff = now - keepDays * 86_400
        for var item in candidates {
            if !item.reason.isEmpty {
                guard item.lastUsed < now - 3600 else {
                    report.kept += 1
                    report.keptBytes += item.bytes
                    continue
                }
            } else if item.lastUsed < cutoff {
                item.reason = "unused for \((now - item.lastUsed) / 86_400) days"
            } else if maxBytes > 0 && total > maxBytes {
                item.reason = "over \(ConfigKey.cacheMaxBytes)"
            } else {
                report.kept += 1
                report.keptBytes += item.bytes
                continue
            }
            guard let lock = try? FileLock.attempt(path: checkoutPath(for: item.commit) + ".lock") else {
                report.inUse.append(item.commit)
                report.kept += 1
                report.keptBytes += item.bytes
                continue
            }
            try withExtendedLifetime(lock) { () throws(SourceError) in
                try discard(checkoutPath(for: item.commit), id: item.commit)
            }
            total -= item.bytes
            report.removed.append(item)
        }
        return report
    }

    /// Seconds since the epoch of `path`'s last modification (0 when it cannot be read).
    static func modified(_ path: String) -> Int {
        var info = stat()
        guard system_lstat(path, &info) == 0 else { return 0 }
        return Int(info.st_mtim.tv_sec)
    }

    /// Bytes allocated to `path` and everything under it, symlinks not followed.
    static func diskUsage(_ path: String) -> Int64 {
        var info = stat()
        guard system_lstat(path, &info) == 0 else { return 0 }
        var total = Int64(info.st_blocks) * 512
        if (info.st_mode & S_IFMT) == S_IFDIR, let names = try? FileSystem.directoryEntries(path) {
            for name in names { total += diskUsage(path + "/" + name) }
        }
        return total
    }
}
