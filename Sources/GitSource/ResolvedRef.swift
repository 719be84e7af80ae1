/// What a ``GitRef`` resolved to in the cache.
///
/// ```swift
/// let resolved = try cache.resolve(url: url, ref: .shortName("v1"))
/// resolved.commit      // "3f2a…" (40 hex)
/// resolved.refName     // "refs/tags/v1"
/// resolved.tagObject   // the annotated tag's id, when v1 is annotated
/// resolved.fetched     // true: names are always checked with the server
/// ```
package struct ResolvedRef: Sendable, Equatable {
    /// The commit id, 40 lowercase hex digits.
    package var commit: String
    /// The full ref name it came from; nil for a commit id.
    package var refName: String?
    /// The annotated tag object's id, when the ref was a tag that had to be peeled.
    package var tagObject: String?
    /// Whether the server (or the source repository, for a local path) was read.
    package var fetched: Bool
    /// Network attempts made (0 when no network was needed).
    package var attempts: Int
    /// Whether a damaged cache repository was rebuilt on the way.
    package var rebuilt: Bool
    /// The tip of `policy.require_ancestor_of` (as just fetched) the commit was found reachable from.
    package var ancestorTip: String?
    /// The signature that satisfied `policy.verify_signatures`.
    package var signature: VerifiedSignature?
    /// The commit's committer time, seconds since the epoch (the job's
    /// `SOURCE_DATE_EPOCH`); set by ``GitCache/prepare(url:ref:)``.
    package var committedAt: Int64?

    /// Creates a resolved ref.
    package init(
        commit: String, refName: String? = nil, tagObject: String? = nil, fetched: Bool, attempts: Int = 0,
        rebuilt: Bool = false
    ) {
        self.commit = commit
        self.refName = refName
        self.tagObject = tagObject
        self.fetched = fetched
        self.attempts = attempts
        self.rebuilt = rebuilt
        self.ancestorTip = nil
        self.signature = nil
        self.committedAt = nil
    }
}
