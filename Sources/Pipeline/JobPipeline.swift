import AgentConfig
import AgentSystem
import Artifacts
import GitSource
import JobInput
import Launch
import OutputCapture
import Policy
import Report
import Secrets

/// Runs one job through its stages, one attempt of its `JOB_ID` at a time:
/// read the job → policy → source (fetch, verify, check out) → plan →
/// expose secrets → launch → collect (archive, manifest, provenance) →
/// report (`result.json` last).
///
/// ```swift
/// let pipeline = JobPipeline(configuration: config, agentEnvironment: ProcessEnvironment.current())
/// let completion = pipeline.run(environment: ProcessEnvironment.current())   // result.json is written
/// exit(completion.result.agentExitCode)
/// ```
package struct JobPipeline: Sendable {
    package let configuration: AgentConfiguration
    package let agentEnvironment: [String: String]
    /// The configuration file the agent read, kept out of the script's reach.
    package let configurationFile: String?

    package init(
        configuration: AgentConfiguration, agentEnvironment: [String: String], configurationFile: String? = nil
    ) {
        self.configuration = configuration
        self.agentEnvironment = agentEnvironment
        self.configurationFile = configurationFile
    }

    /// Reads the job in `environment` (`JOB_ID`, `SCRIPT_ID`, `PARAMETERS`,
    /// `SCRIPTS_REF`) and runs it as a new attempt of its `JOB_ID`; writes
    /// `<output.dir>/<JOB_ID>/`, `result.json` last.
    package func run(environment: [String: String]) -> JobCompletion {
        run(environment: environment, stages: self)
    }

    /// The stages in order, each a call that takes values and returns
    /// values; only this function records what they returned.
    func run(environment: [String: String], stages: some JobStages) -> JobCompletion {
        let jobID: String
        do { jobID = try JobRequest.validJobID(environment["JOB_ID"]) } catch {
            return withoutFolder(
                JobError(
                    .invalidJob,
                    "\(error) No result.json was written: without a valid JOB_ID there is no output folder."))
        }
        let scriptID = try? JobRequest.validScriptID(environment["SCRIPT_ID"])
        // One agent per JOB_ID; the previous attempt is kept, never removed.
        let attempt: JobAttempt
        switch JobAttempt.claim(jobID: jobID, outputDirectory: configuration.outputDirectory) {
        case .claimed(let claimed): attempt = claimed
        case .inProgress(let jobFolder): return refuseDuplicate(jobID: jobID, scriptID: scriptID, jobFolder: jobFolder)
        case .failed(let error): return withoutFolder(error, jobID: jobID, scriptID: scriptID, deliver: true)
        }
        defer { attempt.release() }
        var record = JobRecord(jobID: jobID, scriptID: scriptID, repository: displayURL, attempt: attempt.number)
        var secrets = JobSecrets.credentialsOnly(configuration)
        do throws(JobError) {
            let job = try readJob(environment)
            secrets = try stages.loadSecrets()
            let decision = try stages.checkPolicy(job)
            record.ref = decision.ref
            let source = try stages.fetchSource(decision)
            record.note(source)
            try checkSubmodules(source)
            try stages.checkStop()
            let plan = try stages.makePlan(job, source: source, secrets: secrets)
            record.note(plan)
            record.reproducibility = JobResult.Reproducibility(
                sourceDateEpoch: plan.resolved.committedAt, parameters: job.parameters.json,
                expectedCommit: job.expectedCommit,
                configuration: ShapingValues.of(configuration))
            try stages.checkStop()
            record.note(
                execute(job, plan, secrets: secrets, record: record, into: attempt.folder, stages: stages), plan: plan)
        } catch {
            record.fail(error)
        }
        return report(record, attempt: attempt, secrets: secrets)
    }

    /// Everything up to the launch, without running or writing the job's
    /// folders: for `sf-agent check`. The same stages, in the same order,
    /// as ``run(environment:)`` up to its plan.
    package func plan(_ job: JobRequest) throws(JobError) -> JobPlan {
        try plan(job, secrets: try loadSecrets(), stages: self)
    }

    func plan(_ job: JobRequest, secrets: JobSecrets, stages: some JobStages) throws(JobError) -> JobPlan {
        let source = try stages.fetchSource(try stages.checkPolicy(job))
        try checkSubmodules(source)
        return try stages.makePlan(job, source: source, secrets: secrets)
    }

    /// The plan as `sf-agent check` prints it, with every secret and the
    /// agent's credentials masked (in argv, paths and messages alike).
    package func renderedPlan(_ job: JobRequest) throws(JobError) -> String {
        let secrets = try loadSecrets()
        do {
            let lines =
                [try plan(job, secrets: secrets, stages: self).rendered()]
                + JobPlan.display(configuration.environmentLock, ignored: configuration.ignoredVariables)
            return secrets.masker.mask(lines.joined(separator: "\n"))
        } catch {
            throw JobError(error.code, secrets.masker.mask(error.message), rule: error.rule)
        }
    }

    var displayURL: String { RepositoryURL.redacted(configuration.repository.url) }

    // MARK: - Stages the driver owns

    /// Read the job: `SCRIPT_ID`, `PARAMETERS`, `SCRIPTS_REF` (the `JOB_ID`
    /// was read to claim the folder).
    func readJob(_ environment: [String: String]) throws(JobError) -> JobRequest {
        do { return try JobRequest(environment: environment) } catch {
            throw JobError(error)
        }
    }

    /// What happened from the workspace's creation on.
    struct Execution {
        var launched: Launched?
        var collected: Collected?
        /// Why the workspace, the secrets or the launch could not be prepared.
        var failure: JobError?
        /// Why the secrets folder could not be removed.
        var cleanupFailure: JobError?
    }

    /// Creates the job's workspace (`work.dir/<JOB_ID>`), then exposes the
    /// secrets, launches and collects. The workspace and the secrets folder
    /// are removed right after, here and only here, whatever happened once
    /// their creation began: a launch error, a timeout, a cancel, refused
    /// or unwritable artifacts, a failed provenance.
    func execute(
        _ job: JobRequest, _ plan: JobPlan, secrets: JobSecrets, record: JobRecord, into folder: String,
        stages: some JobStages
    ) -> Execution {
        let workspace = JobWorkspace(workRoot: configuration.workDirectory, jobID: job.jobID)
        var execution = Execution()
        do throws(JobError) {
            try workspace.create(owner: plan.switchUser ? plan.user : nil, parametersJSON: job.parameters.json)
            let variables = try stages.exposeSecrets(plan, secrets: secrets)
            let launched = stages.launch(plan, secretEnvironment: variables, logsInto: folder, masker: secrets.masker)
            execution.launched = launched
            if launched.outcome != nil {
                var ran = record
                ran.note(launched, plan: plan)
                execution.collected = stages.collect(plan, job: job, record: ran, into: folder, masker: secrets.masker)
            }
        } catch {
            execution.failure = error
        }
        execution.cleanupFailure = workspace.remove(secretsFolder: plan.secretsFolder)
        return execution
    }

    /// Report: delivers the result to `report.url` (when set), gives the
    /// folder to `output.owner`, then writes `result.json` (masked), last.
    func report(_ record: JobRecord, attempt: JobAttempt, secrets: JobSecrets) -> JobCompletion {
        let masker = secrets.masker
        let folder = attempt.folder
        var record = record
        record.report = deliverReport(record.maskedResult(masker.mask), secrets: secrets)
        if let owner = configuration.output.owner, let failure = OutputOwnership.give(folder, to: owner) {
            record.fail(JobError(.outputError, failure))
        }
        record.integrity = JobResult.Integrity(files: Self.fileDigests(in: folder, archive: record.artifacts?.path))
        let (result, written) = record.write(into: folder, masking: masker.mask)
        let file = Path.join(folder, ResultWriter.fileName)
        if written, let owner = configuration.output.owner,
            let failure = OutputOwnership.give(file, to: owner, recursive: false)
        {
            AgentLog.warning(failure)
        }
        return JobCompletion(result: result, resultFile: written ? file : nil, folder: folder)
    }

    /// The SHA-256 of each regular file at the top of `folder` but
    /// `result.json`, hidden names (the lock, the attempt number, temporary
    /// files) and the archive (whose digest is `artifacts.sha256`). A file
    /// that cannot be read is left out: `sf-agent verify` then names it.
    static func fileDigests(in folder: String, archive: String?) -> [String: String] {
        var digests: [String: String] = [:]
        let names = (try? FileSystem.directoryEntries(folder)) ?? []
        for name in names
        where !name.hasPrefix(".") && name != ResultWriter.fileName && Path.join(folder, name) != archive {
            let path = Path.join(folder, name)
            guard (try? FileSystem.linkStatus(path))?.kind == .regular else { continue }
            if let digest = try? Digest.sha256(ofFile: path) { digests[name] = digest }
        }
        return digests
    }

    /// A second agent for a `JOB_ID` another agent is running: nothing ran,
    /// nothing of that job is touched; the refusal goes to
    /// `<JOB_ID>/duplicates/<time>-<pid>.json`, never to `result.json`.
    func refuseDuplicate(jobID: String, scriptID: String?, jobFolder: String) -> JobCompletion {
        var record = JobRecord(jobID: jobID, scriptID: scriptID, repository: displayURL, attempt: nil)
        record.fail(
            JobError(
                .jobInProgress,
                "Another agent is running job \(jobID) (it holds the lock \(Path.join(jobFolder, JobAttempt.lockName))); this agent ran "
                    + "nothing and left that job's files alone. Its result will be \(Path.join(jobFolder, ResultWriter.fileName)); "
                    + "deliver a JOB_ID once, or stop the other agent before retrying."))
        let masker = JobSecrets.credentialsOnly(configuration).masker
        var result = record.maskedResult(masker.mask)
        do throws(SystemError) {
            let bytes: [UInt8]
            do { bytes = try result.jsonBytes() } catch {
                return JobCompletion(result: result, resultFile: nil, folder: jobFolder)
            }
            let file = try JobAttempt.writeDuplicateRefusal(bytes, jobFolder: jobFolder, at: Timestamp.now())
            if let owner = configuration.output.owner,
                let failure = OutputOwnership.give(Path.parent(of: file), to: owner, recursive: false)
                    ?? OutputOwnership.give(file, to: owner, recursive: false)
            {
                AgentLog.warning(failure)
            }
            return JobCompletion(result: result, resultFile: file, folder: jobFolder)
        } catch {
            AgentLog.warning(
                OutputProblem.jobError(
                    "Cannot record the refusal", error, outputDirectory: configuration.outputDirectory
                ).message)
            result.error?.message += " (The refusal itself could not be recorded.)"
            return JobCompletion(result: result, resultFile: nil, folder: jobFolder)
        }
    }

    /// A job for which no folder can be written: the result exists only on
    /// stderr, in the exit code and, with `deliver`, in the report to
    /// `report.url` (when set).
    func withoutFolder(_ error: JobError, jobID: String = "", scriptID: String? = nil, deliver: Bool = false)
        -> JobCompletion
    {
        var record = JobRecord(jobID: jobID, scriptID: scriptID, repository: displayURL, attempt: nil)
        record.fail(error)
        let secrets = JobSecrets.credentialsOnly(configuration)
        if deliver {
            record.report = deliverReport(record.maskedResult(secrets.masker.mask), secrets: secrets)
        }
        return JobCompletion(result: record.maskedResult(secrets.masker.mask), resultFile: nil, folder: nil)
    }
}

/// How a run ended, and where its record went.
package struct JobCompletion: Sendable {
    /// The record, as `result.json` holds it.
    package var result: JobResult
    /// The file the result was written to (`<JOB_ID>/result.json`, or for a
    /// duplicate `<JOB_ID>/duplicates/<time>-<pid>.json`); nil when none
    /// could be written (`result.error` says why).
    package var resultFile: String?
    /// The job's output folder; nil when it could not be created.
    package var folder: String?
}
