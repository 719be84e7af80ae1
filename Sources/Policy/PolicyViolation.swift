import AgentSystem
import ConfigKeys

/// A refusal by policy: the rule (a configuration key, or `SCRIPTS_COMMIT`) and a sentence a user can act on.
///
/// ```swift
/// do { try ScriptPolicy(allowedScripts: ["deploy/*"]).check(scriptID: "wipe") } catch {
///     print(error.rule, error)   // policy.allowed_scripts Script `wipe` is not allowed: …
/// }
/// ```
package struct PolicyViolation: AgentError {
    /// What the rule refused.
    package enum Code: String, Sendable, CaseIterable {
        /// The script, repository or ref matches none of its allow-list.
        case notAllowed
        /// `policy.require_pinned_commit` is on and the ref is not a commit id.
        case notPinned
        /// The ref resolved to another commit than the job's `SCRIPTS_COMMIT`.
        case commitMismatch
        /// The script's SHA-256 is missing from, or differs from, `policy.script_digests`.
        case digestMismatch
    }

    /// What the rule refused.
    package var code: Code
    /// The configuration key (or job variable) whose rule refused the job.
    package var rule: RuleName
    package var message: String

    package init(_ code: Code, rule: RuleName, message: String) {
        self.code = code
        self.rule = rule
        self.message = message
    }
}
