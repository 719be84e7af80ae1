/// What `sf-agent gc` did.
///
/// ```swift
/// let report = try cache.collectGarbage(keepDays: 14, maxBytes: 10 << 30)
/// print(report.removed.count, report.freedBytes)
/// ```
package struct CacheCollection: Sendable, Equatable {
    /// One checkout considered.
    package struct Item: Sendable, Equatable {
        /// The commit id.
        package var commit: String
        /// Disk usage in bytes.
        package var bytes: Int64
        /// Last use (the `.complete` stamp's mtime), seconds since the epoch.
        package var lastUsed: Int
        /// Why it was removed ("unused for 15 days", "over cache.max_bytes", "incomplete").
        package var reason: String
    }

    /// Checkouts removed, oldest first.
    package var removed: [Item] = []
    /// Checkouts that were due for removal but are in use by a running job.
    package var inUse: [String] = []
    /// Checkouts kept.
    package var kept = 0
    /// Bytes the kept checkouts use.
    package var keptBytes: Int64 = 0
    /// Bytes freed.
    package var freedBytes: Int64 { removed.reduce(0) { $0 + $1.bytes } }

    /// Creates an empty report.
    package init() {}
}
