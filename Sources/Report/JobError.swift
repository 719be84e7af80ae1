import ConfigKeys

/// Why a job did not run to completion: a stable code and a sentence.
package struct JobError: Sendable, Equatable, Error, CustomStringConvertible {
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

    package init(_ code: Code, _ message: String, rule: RuleName? = nil) {
        self.code = code
        self.message = message
        self.rule = rule
    }

    package var description: String { message }
}
