import ConfigKeys

/// Upper bounds on what a job may publish as artifacts.
///
/// ```swift
/// let limits = ArtifactLimits(maximumBytes: 1 << 30, maximumEntries: 10_000)
/// limits.excess(bytes: 2 << 30, entries: 3)
/// // LimitExcess(key: .artifactsMaxBytes, limit: 1073741824, actual: 2147483648)
/// ```
package struct ArtifactLimits: Sendable, Equatable {
    /// Total size of the regular files, before compression; `nil` for no bound.
    package var maximumBytes: Int?
    /// Number of entries (files, directories, symlinks); `nil` for no bound.
    package var maximumEntries: Int?

    package init(maximumBytes: Int? = nil, maximumEntries: Int? = nil) {
        self.maximumBytes = maximumBytes
        self.maximumEntries = maximumEntries
    }

    /// The first bound `bytes` and `entries` exceed, if any (bytes first).
    package func excess(bytes: Int, entries: Int) -> LimitExcess? {
        if let maximumBytes, bytes > maximumBytes {
            return LimitExcess(key: .artifactsMaxBytes, limit: maximumBytes, actual: bytes)
        }
        if let maximumEntries, entries > maximumEntries {
            return LimitExcess(key: .artifactsMaxFiles, limit: maximumEntries, actual: entries)
        }
        return nil
    }
}

/// Which artifact limit was exceeded, and by how much.
package struct LimitExcess: Sendable, Equatable {
    /// The configuration key of the limit.
    package var key: ConfigKey
    package var limit: Int
    /// What the artifacts hold.
    package var actual: Int

    package init(key: ConfigKey, limit: Int, actual: Int) {
        self.key = key
        self.limit = limit
        self.actual = actual
    }

    /// By how much the limit was exceeded.
    package var over: Int { actual - limit }
}
