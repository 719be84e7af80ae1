/// A refusal by policy: the rule (a configuration key) and a sentence a user can act on.
package struct PolicyViolation: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration key whose rule refused the job.
    package var rule: String
    package var message: String

    package init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    package var description: String { message }
}
