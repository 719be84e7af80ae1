import AgentSystem
import Artifacts
import Launch
import Report

/// What the pipeline has learned about a job so far; becomes `result.json`.
struct JobRecord {
    let jobID: String
    let scriptID: String?
    let repository: String
    let startedAt = Timestamp.now()
    var ref: String?
    var commit: String?
    var source: JobResult.Source?
    var script: JobResult.Script?
    var argv: [String]?
    var user: JobResult.User?
    var sandbox: JobResult.Sandbox?
    var durations = JobResult.Durations()
    var outcome: RunOutcome?
    var artifacts: ArchiveSummary?
    var error: JobError?
    var logs: JobResult.Logs?

    init(jobID: String, scriptID: String?, repository: String) {
        self.jobID = jobID
        self.scriptID = scriptID
        self.repository = repository
    }

    mutating func finishRun(_ outcome: RunOutcome) {
        self.outcome = outcome
        durations.run = outcome.duration.milliseconds
    }

    /// Keeps the first failure: a later one (say, archiving after a timeout)
    /// must not hide why the job ended.
    mutating func fail(_ error: JobError) {
        if self.error == nil { self.error = error }
    }

    /// The status and exit code, from the failure if any, else from how the script ended.
    func verdict() -> (status: JobStatus, exitCode: Int32, error: JobError?) {
        if let outcome {
            if outcome.cancelled {
                let failure = JobError(.cancelled, "The agent was told to stop and stopped the script.")
                return (.cancelled, AgentExitCode.cancelled.rawValue, failure)
            }
            if outcome.timedOut {
                let failure = JobError(.timedOut, "The script ran longer than run.timeout and was stopped.")
                return (.timedOut, AgentExitCode.timedOut.rawValue, failure)
            }
        }
        if let error { return (error.code.status, error.code.exitCode.rawValue, error) }
        switch outcome?.termination {
        case .exited(0)?: return (.succeeded, 0, nil)
        case .exited(let code)?: return (.failed, code, nil)
        case .signaled(let signal)?: return (.failed, 128 + signal, nil)
        case nil:
            return (.error, AgentExitCode.internalError.rawValue, JobError(.internalError, "The job ended without running its script."))
        }
    }

    func result() -> JobResult {
        let (status, exitCode, failure) = verdict()
        var scriptExitCode: Int32?
        var signal: String?
        switch outcome?.termination {
        case .exited(let code)?: scriptExitCode = code
        case .signaled(let number)?: signal = SignalName.of(number)
        case nil: break
        }
        return JobResult(
            jobID: jobID, scriptID: scriptID, status: status, exitCode: scriptExitCode, signal: signal,
            repository: repository, ref: ref, commit: commit, script: script, argv: argv, user: user, sandbox: sandbox,
            startedAt: startedAt.rfc3339, finishedAt: Timestamp.now().rfc3339, durationsMilliseconds: durations,
            artifacts: artifacts.map(Self.artifactsResult),
            agentVersion: AgentVersion.current, agentExitCode: exitCode, error: failure, source: source)
    }

    /// Writes `result.json` with `mask` applied to its texts; if even that
    /// fails, the returned result says so (status `error`, exit code for
    /// output errors) and the caller prints it.
    func write(into folder: String, masking mask: (String) -> String = { $0 }) -> JobResult {
        var result = result().masked(mask)
        result.logs = logs
        do {
            try ResultWriter.write(result, into: folder)
        } catch {
            result.status = .error
            result.error = JobError(error.code, mask(error.message))
            result.agentExitCode = error.code.exitCode.rawValue
        }
        return result
    }
}
