import AgentSystem
import ConfigKeys

/// Why the agent could not fetch, resolve or check out a job's scripts.
///
/// The ``message`` is a full sentence that names the repository URL (with
/// credentials removed), the ref and the path involved, followed by
/// libgit2's own explanation when there is one:
///
/// ```swift
/// do {
///     _ = try cache.resolve(url: url, ref: .shortName("main"))
/// } catch {
///     print(error.code, error)   // refNotFound The ref "main" does not exist in https://…
/// }
/// ```
package struct SourceError: AgentError {
    /// What kind of failure this is, for exit codes and result files.
    package enum Code: String, Sendable, CaseIterable {
        /// The ref text is not a valid ref name or commit id.
        case invalidRef
        /// The server could not be reached or the fetch failed.
        case fetchFailed
        /// The server (or the cache) has no such ref or commit.
        case refNotFound
        /// The ref names an object that is not a commit (a tree, a blob, a tag of one).
        case notACommit
        /// The commit's tree could not be written to disk.
        case checkoutFailed
        /// The cache directory or its repository could not be prepared.
        case cacheFailed
        /// The cache repository is damaged (missing objects, a truncated pack);
        /// ``GitCache/prepare(url:ref:)`` rebuilds it.
        case cacheDamaged
        /// Another agent held the cache's lock for longer than `cache.lock_timeout`.
        case lockTimeout
        /// A credentials or trust file (`repo.token_file`, …) could not be read.
        case credentialsFailed
        /// The agent was told to stop (SIGTERM) while fetching or waiting.
        case cancelled
        /// A ref verification rule refused the commit (``rule`` names it):
        /// not on `policy.require_ancestor_of`, no acceptable signature, a moved tag.
        case refused
        /// `ssh-keygen` or `gpgv` could not be run (missing, or stopped at its timeout).
        case verificationFailed
    }

    /// What kind of failure this is.
    package var code: Code
    /// A full sentence for logs and result files; never contains credentials.
    package var message: String
    /// For ``Code/refused``: the configuration key of the rule.
    package var rule: ConfigKey?

    /// Creates an error; `message` should be a full sentence.
    package init(_ code: Code, _ message: String, rule: ConfigKey? = nil) {
        self.code = code
        self.message = message
        self.rule = rule
    }
}
