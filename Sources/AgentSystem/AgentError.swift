/// The one shape of the agent's errors: a ``code`` saying what kind of
/// failure it is, and a ``message``, a full sentence a user can act on.
///
/// Every error that leaves a module has this shape. Its message starts with a
/// capital letter, names the input at fault (the configuration key, the
/// path, the ref, the job variable) and says what to change; where the
/// system or a library failed, their own reason follows a colon. Errors
/// internal to a module (libgit2's, the artifact reader's frames) are causes
/// that the module turns into its own ``AgentError``; ``SystemError`` is the
/// shared cause for a failed system call, like swift-system's `Errno`.
///
/// ```swift
/// struct LockError: AgentError {
///     enum Code: String, Sendable, CaseIterable { case busy }
///     var code: Code
///     var message: String
/// }
/// print(LockError(code: .busy, message: "The cache /var/cache/sf-agent is busy; try again."))
/// ```
///
/// Codes are closed enums, not swift-subprocess's growable `Code` struct:
/// the package ships no library, and a closed enum lets the one conversion
/// into a job's error (`JobError.init(_:)`, in the pipeline) switch over
/// every code, so a new code cannot go unmapped.
package protocol AgentError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kinds of failure; the raw value is the name logs show.
    associatedtype Code: RawRepresentable, CaseIterable, Hashable, Sendable where Code.RawValue == String

    /// What kind of failure this is.
    var code: Code { get }
    /// A full sentence naming the input at fault and what to change.
    var message: String { get }
}

extension AgentError {
    /// The ``message``.
    package var description: String { message }
}
