/// A job variable that cannot be accepted: names the variable, the offending
/// part and what is allowed.
package struct JobInputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The environment variable at fault (`JOB_ID`, `SCRIPT_ID`, `PARAMETERS`, `SCRIPTS_REF`).
    package var variable: String
    /// A sentence saying what is wrong and what is allowed.
    package var reason: String

    package init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    package var description: String { "\(variable): \(reason)" }
}
