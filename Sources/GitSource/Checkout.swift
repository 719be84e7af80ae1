/// A commit's tree written to disk, read-only.
///
/// ```swift
/// let checkout = try cache.checkout(url: url, commit: resolved.commit)
/// checkout.path     // "<cache>/checkouts/<commit>"
/// checkout.reused   // true when a complete checkout was already there
/// ```
///
/// While the value (or a copy) lives it holds a shared lock on the
/// checkout, so `sf-agent gc` leaves it alone.
package struct Checkout: Sendable, Equatable {
    /// The checkout's directory: `<cache>/checkouts/<commit>`.
    package var path: String
    /// The commit id, 40 lowercase hex digits.
    package var commit: String
    /// Whether an existing complete checkout was used instead of writing one.
    package var reused: Bool
    /// Whether a damaged checkout (no completion stamp) was replaced.
    package var repaired: Bool
    /// The shared lock on `checkouts/<commit>.lock`, held while the value lives.
    package var lease: FileLock?
    /// Time spent writing (or finding) the checkout, as opposed to fetching.
    package var duration: Duration = .zero

    /// Creates a checkout description.
    package init(path: String, commit: String, reused: Bool, repaired: Bool = false, lease: FileLock? = nil) {
        self.path = path
        self.commit = commit
        self.reused = reused
        self.repaired = repaired
        self.lease = lease
    }

    /// Equal when they describe the same checkout; the lease is not compared.
    package static func == (lhs: Checkout, rhs: Checkout) -> Bool {
        lhs.path == rhs.path && lhs.commit == rhs.commit && lhs.reused == rhs.reused && lhs.repaired == rhs.repaired
    }
}
