/// What `sf-agent gc` did.
///
/// ```swift
/// let report = try cache.collectGarbage(keepDays: 14, maxBytes: 10 << 30)
/// print(report.removed.count, report.freedBytes)
/// ```
public struct CacheCollection: Sendable, Equatable {
    /// One checkout considered.
    public struct Item: Sendable, Equatable {
        /// The commit id.
        public var commit: String
        /// Disk usage in bytes.
        public var bytes: Int64
        /// Last use (the `.complete` stamp's mtime), seconds since the epoch.
        public var lastUsed: Int
        /// Why it was removed ("unused for 15 days", "over cache.max_bytes", "incomplete").
        public var reason: String
    }

    /// Checkouts removed, oldest first.
    public var removed: [Item] = []
    /// Checkouts that were due for removal but are in use by a running job.
    public var inUse: [String] = []
    /// Checkouts kept.
    public var kept = 0
    /// Bytes the kept checkouts use.
    public var keptBytes: Int64 = 0
    /// Bytes freed.
    public var freedBytes: Int64 { removed.reduce(0) { $0 + $1.bytes } }

    /// Creates an empty report.
    public init() {}
}
