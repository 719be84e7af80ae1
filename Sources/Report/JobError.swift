import AgentSystem
import ConfigKeys

/// Why a job did not run to completion: a stable code and a sentence.
///
/// Each stage's own ``AgentError`` becomes a `JobError` in one place, the
/// pipeline's `JobError+Stages.swift`, by an exhaustive switch over its codes.
///
/// ```swift
/// let failure = JobError(.scriptNotFound, "No script deploy/web.sh in the checkout.")
/// print(failure.code.status, failure.code.exitCode)   // rejected rejected
/// ```
package struct JobError: AgentError {
    /// What kind of failure, and the status and exit code it implies.
    package enum Code: String, Sendable, CaseIterable {
        case invalidJob = "invalid_job"
        case policyViolation = "policy_violation"
        case scriptNotFound = "script_not_found"
        case scriptRefused = "script_refused"
        /// A layer `sandbox.require` demands cannot apply here; nothing ran.
        case sandboxUnavailable = "sandbox_unavailable"
        case configError = "config_error"
        case sourceError = "source_error"
        case launchError = "launch_error"
        case outputError = "output_error"
        /// The artifacts broke `artifacts.max_bytes`, `max_files` or `scan_secrets = fail`; nothing was published.
        case artifactsRejected = "artifacts_rejected"
        case internalError = "internal_error"
        case timedOut = "timed_out"
        case cancelled
        case cacheBusy = "cache_busy"
        /// Another agent holds this `JOB_ID`'s lock: a duplicate delivery.
        case jobInProgress = "job_in_progress"

        /// The job status this failure yields.
        package var status: JobStatus {
            switch self {
            case .invalidJob, .policyViolation, .scriptNotFound, .scriptRefused, .sandboxUnavailable: .rejected
            case .timedOut: .timedOut
            case .cancelled: .cancelled
            case .cacheBusy: .busy
            case .jobInProgress: .duplicate
            case .configError, .sourceError, .launchError, .outputError, .artifactsRejected, .internalError: .error
            }
        }

        /// The agent's exit code for this failure.
        package var exitCode: AgentExitCode {
            switch self {
            case .invalidJob, .policyViolation, .scriptNotFound, .scriptRefused, .sandboxUnavailable: .rejected
            case .configError: .configError
            case .sourceError: .sourceError
            case .launchError: .launchError
            case .outputError, .artifactsRejected: .outputError
            case .internalError: .internalError
            case .timedOut: .timedOut
            case .cancelled: .cancelled
            case .cacheBusy: .cacheBusy
            case .jobInProgress: .jobInProgress
            }
        }
    }

    package var code: Code
    /// A sentence a user can act on.
    package var message: String
    /// For policy refusals: the configuration key of the rule (or `SCRIPTS_COMMIT`).
    package var rule: RuleName?

    /// An error whose message is `message` made a sentence: a lowercase
    /// first word is capitalized (a name such as `run.user` or a path is
    /// left as it is) and a final full stop added if it has none.
    package init(_ code: Code, _ message: String, rule: RuleName? = nil) {
        self.code = code
        self.message = Self.sentence(message)
        self.rule = rule
    }

    /// `text` in the agent's one voice for messages.
    static func sentence(_ text: String) -> String {
        var result = text
        let firstWord = result.prefix { $0 != " " }
        if let first = firstWord.first, first.isLowercase, firstWord.allSatisfy(\.isLetter) {
            result.replaceSubrange(result.startIndex...result.startIndex, with: first.uppercased())
        }
        if let last = result.last, !".?!".contains(last) { result.append(".") }
        return result
    }
}
