import AgentSystem
import Artifacts
import ConfigKeys
import Launch
import Policy
import Report

/// What the pipeline has learned about a job so far; becomes `result.json`.
struct JobRecord {
    let jobID: String
    /// Which run of the `JOB_ID`; nil for a duplicate's refusal.
    let attempt: Int?
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
    var report: JobResult.ReportDelivery?
    var reproducibility: JobResult.Reproducibility?
    var integrity: JobResult.Integrity?

    init(jobID: String, scriptID: String?, repository: String, attempt: Int?) {
        self.jobID = jobID
        self.attempt = attempt
        self.scriptID = scriptID
        self.repository = repository
    }

    /// What the source stage found.
    mutating func note(_ source: FetchedSource) {
        commit = source.resolved.commit
        self.source = source.record
        durations.fetch = source.fetchMilliseconds
        durations.checkout = source.checkoutMilliseconds
    }

    /// What the plan decided: the script, argv and user.
    mutating func note(_ plan: JobPlan) {
        script = JobResult.Script(path: plan.script.relativePath, sha256: plan.scriptSHA256)
        argv = plan.argv
        user = JobResult.User(uid: plan.user.uid, gid: plan.user.gid, groups: plan.user.groups, name: plan.user.name)
        // The content pin is judged with the plan, after the source: listed with the source's rules.
        if let pinned = plan.passedRules.first(where: { $0.hasPrefix("\(ConfigKey.policyScriptDigests):") }) {
            source?.rulesPassed.append(pinned)
        }
    }

    /// How the launch went: the logs, and once the script ran, its end and its sandbox.
    mutating func note(_ launched: Launched, plan: JobPlan) {
        logs = launched.logs
        if let outcome = launched.outcome {
            self.outcome = outcome
            durations.run = outcome.duration.milliseconds
            sandbox = JobPipeline.report(plan.sandbox, user: plan.user)
        }
        if let failure = launched.failure { fail(failure) }
    }

    /// Everything from the workspace's creation to its removal.
    mutating func note(_ execution: JobPipeline.Execution, plan: JobPlan) {
        if let launched = execution.launched { note(launched, plan: plan) }
        if let collected = execution.collected {
            artifacts = collected.archive
            durations.archive = collected.milliseconds
            if let failure = collected.failure { fail(failure) }
        }
        if let failure = execution.failure { fail(failure) }
        if let failure = execution.cleanupFailure { fail(failure) }
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
                let failure = JobError(.timedOut, "The script ran longer than \(ConfigKey.runTimeout) and was stopped.")
                return (.timedOut, AgentExitCode.timedOut.rawValue, failure)
            }
        }
        if let error { return (error.code.status, error.code.exitCode.rawValue, error) }
        switch outcome?.termination {
        case .exited(0)?: return (.succeeded, 0, nil)
        case .exited(let code)?: return (.failed, code, nil)
        case .signaled(let signal)?: return (.failed, 128 + signal, nil)
        case nil:
            return (
                .error, AgentExitCode.internalError.rawValue,
                JobError(.internalError, "The job ended without running its script.")
            )
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
        var result = JobResult(
            jobID: jobID, scriptID: scriptID, status: status, exitCode: scriptExitCode, signal: signal,
            repository: repository, ref: ref, commit: commit, script: script, argv: argv, user: user, sandbox: sandbox,
            startedAt: startedAt.rfc3339, finishedAt: Timestamp.now().rfc3339, durationsMilliseconds: durations,
            artifacts: artifacts.map(Self.artifactsResult),
            agentVersion: AgentVersion.current, agentExitCode: exitCode, error: failure, source: source)
        result.attempt = attempt
        result.reproducibility = reproducibility
        result.integrity = integrity
        return result
    }

    /// The result as `result.json` will hold it, texts masked.
    func maskedResult(_ mask: (String) -> String) -> JobResult {
        var result = result().masked(mask)
        result.logs = logs
        result.report = report
        return result
    }

    /// Writes `result.json` with `mask` applied to its texts; returns the
    /// result and whether it was written. If even that fails, the returned
    /// result says so (status `error`, exit code for output errors, the
    /// first failure kept in the message) and the caller prints it.
    func write(into folder: String, masking mask: (String) -> String = { $0 }) -> (result: JobResult, written: Bool) {
        var result = maskedResult(mask)
        do {
            try ResultWriter.write(result, into: folder)
            return (result, true)
        } catch {
            let earlier = result.error.map { " Before that: \($0.message)" } ?? ""
            result.status = .error
            result.error = JobError(error.code, mask(error.message) + earlier)
            result.agentExitCode = error.code.exitCode.rawValue
            return (result, false)
        }
    }
}
