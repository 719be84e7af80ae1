/// What a ``GitRef`` resolved to in the cache.
///
/// ```swift
/// let resolved = try cache.resolve(url: url, ref: .shortName("v1"))
/// resolved.commit      // "3f2a…" (40 hex)
/// resolved.refName     // "refs/tags/v1"
/// resolved.tagObject   // the annotated tag's id, when v1 is annotated
/// resolved.fetched     // true: names are always checked with the server
/// ```
public struct ResolvedRef: Sendable, Equatable {
    /// The commit id, 40 lowercase hex digits.
    public var commit: String
    /// The full ref name it came from; nil for a commit id.
    public var refName: String?
    /// The annotated tag object's id, when the ref was a tag that had to be peeled.
    public var tagObject: String?
    /// Whether the server (or the source repository, for a local path) was read.
    public var fetched: Bool
    /// Network attempts made (0 when no network was needed).
    public var attempts: Int
    /// Whether a damaged cache repository was rebuilt on the way.
    public var rebuilt: Bool
    /// The tip of `policy.require_ancestor_of` (as just fetched) the commit was found reachable from.
    public var ancestorTip: String?
    /// The signature that satisfied `policy.verify_signatures`.
    public var signature: VerifiedSignature?
    /// The commit's committer time, seconds since the epoch (the job's
    /// `SOURCE_DATE_EPOCH`); set by ``GitCache/prepare(url:ref:)``.
    public var committedAt: Int64?

    /// Creates a resolved ref.
    public init(commit: String, refName: String? = nil, tagObject: String? = nil, fetched: Bool, attempts: Int = 0, rebuilt: Bool = false) {
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
