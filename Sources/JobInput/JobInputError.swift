import AgentSystem

/// A job variable that cannot be accepted: names the variable, the offending
/// part and what is allowed.
///
/// ```swift
/// print(JobInputError(.jobID, reason: "may not start with `.`."))   // JOB_ID: may not start with `.`.
/// ```
package struct JobInputError: AgentError {
    /// The environment variable at fault.
    package enum Code: String, Sendable, CaseIterable {
        case jobID = "JOB_ID"
        case scriptID = "SCRIPT_ID"
        case parameters = "PARAMETERS"
        case scriptsRef = "SCRIPTS_REF"
        case scriptsCommit = "SCRIPTS_COMMIT"
    }

    /// The variable at fault.
    package var code: Code
    /// A sentence saying what is wrong and what is allowed.
    package var reason: String

    package init(_ variable: Code, reason: String) {
        self.code = variable
        self.reason = reason
    }

    /// The variable's name (`JOB_ID`, `PARAMETERS`, …).
    package var variable: String { code.rawValue }

    package var message: String { "\(variable): \(reason)" }
}
