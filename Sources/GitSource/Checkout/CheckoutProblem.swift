import AgentSystem

/// Why writing a checkout failed, with the path (relative to the checkout) involved.
struct CheckoutProblem: Error, Sendable {
    /// The entry's path inside the checkout ("" for the root).
    var path: String
    /// A verb phrase or reason ("has an unsupported mode 0o160001").
    var reason: String
    /// The cache is at fault (an object missing or unreadable), not the tree.
    var damaged = false

    init(path: String, reason: String, damaged: Bool = false) {
        self.path = path
        self.reason = reason
        self.damaged = damaged
    }

    /// A failed system call on `path`.
    init(path: String, _ error: SystemError) {
        self.path = path
        self.reason = error.description
    }

    /// A failed libgit2 call on `path`.
    init(path: String, _ failure: GitFailure) {
        self.path = path
        self.reason = failure.message
        self.damaged = true
    }
}
