import ConfigKeys

/// A refusal by policy: the rule (a configuration key, or `SCRIPTS_COMMIT`) and a sentence a user can act on.
package struct PolicyViolation: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration key (or job variable) whose rule refused the job.
    package var rule: RuleName
    package var message: String

    package init(rule: RuleName, message: String) {
        self.rule = rule
        self.message = message
    }

    package var description: String { message }
}
