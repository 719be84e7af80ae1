/// One network session against the server: what to fetch into which repository.
struct FetchRequest: Sendable, Codable, Equatable {
    /// What the session asks the server for.
    enum Want: Sendable, Codable, Equatable {
        /// Read the advertised refs, then fetch these full names (the ones that exist).
        case names([String])
        /// Fetch this commit id directly, else every branch and tag.
        case commit(String)
    }

    /// The cache's bare repository.
    var repositoryPath: String
    var url: String
    var want: Want
    /// Wall-clock limit for the whole session.
    var timeoutMilliseconds: Int
    var access: GitAccess
    var showProgress: Bool
}

/// What a session learned: the refs the server advertised, or why it failed.
struct FetchOutcome: Sendable, Codable, Equatable {
    /// Advertised refs by full name (hex ids); empty for a commit fetch.
    var advertised: [String: String] = [:]
    var failure: FetchFailure?
}
