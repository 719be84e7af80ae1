/// A commit's tree written to disk, read-only.
///
/// ```swift
/// let checkout = try cache.checkout(url: url, commit: resolved.commit)
/// checkout.path     // "<cache>/checkouts/<commit>"
/// checkout.reused   // true when a complete checkout was already there
/// ```
public struct Checkout: Sendable, Equatable {
    /// The checkout's directory: `<cache>/checkouts/<commit>`.
    public var path: String
    /// The commit id, 40 lowercase hex digits.
    public var commit: String
    /// Whether an existing complete checkout was used instead of writing one.
    public var reused: Bool

    /// Creates a checkout description.
    public init(path: String, commit: String, reused: Bool) {
        self.path = path
        self.commit = commit
        self.reused = reused
    }
}
