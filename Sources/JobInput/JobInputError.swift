/// A job variable that cannot be accepted: names the variable, the offending
/// part and what is allowed.
public struct JobInputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The environment variable at fault (`JOB_ID`, `SCRIPT_ID`, `PARAMETERS`, `SCRIPTS_REF`).
    public var variable: String
    /// A sentence saying what is wrong and what is allowed.
    public var reason: String

    public init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "\(variable): \(reason)" }
}
