/// A refusal by policy: the rule (a configuration key) and a sentence a user can act on.
public struct PolicyViolation: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration key whose rule refused the job.
    public var rule: String
    public var message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { message }
}
