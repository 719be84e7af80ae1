import AgentConfig
import AgentSystem
import Artifacts
import GitSource
import JobInput
import Launch
import OutputCapture
import Policy
import Report

#if canImport(Glibc)
import Glibc
#endif

/// Runs one job through the stages: check policy → fetch → check out →
/// resolve the script → launch → archive artifacts → write the result.
///
/// ```swift
/// let pipeline = JobPipeline(configuration: config, agentEnvironment: ProcessEnvironment.current())
/// let result = pipeline.run(job)       // result.json is written
/// exit(result.agentExitCode)
/// ```
public struct JobPipeline: Sendable {
    public let configuration: AgentConfiguration
    public let agentEnvironment: [String: String]

    public init(configuration: AgentConfiguration, agentEnvironment: [String: String]) {
        self.configuration = configuration
        self.agentEnvironment = agentEnvironment
    }

    /// Runs `job` and writes its output folder; `result.json` comes last.
    public func run(_ job: JobRequest) -> JobResult {
        var record = JobRecord(jobID: job.jobID, scriptID: job.scriptID, repository: displayURL)
        let outputFolder = Path.join(configuration.outputDirectory, job.jobID)
        do throws(JobError) {
            try prepareOutputFolder(outputFolder)
            let plan = try makePlan(job, record: &record)
            try stopIfCancelled()
            let workspace = JobWorkspace(workRoot: configuration.workDirectory, jobID: job.jobID)
            try workspace.create(owner: plan.switchUser ? plan.user : nil, parametersJSON: job.parameters.json)
            let outcome = try launch(plan, logsInto: outputFolder)
            record.finishRun(outcome)
            let archiveStart = ContinuousClock.now
            let summary = try archive(workspace.artifactsDirectory, into: outputFolder)
            record.durations.archive = (ContinuousClock.now - archiveStart).milliseconds
            record.artifacts = summary
            workspace.remove()
        } catch {
            record.fail(error)
        }
        return record.write(into: outputFolder)
    }

    /// Records a job refused before it could be read whole (say, bad
    /// `PARAMETERS`): writes a `result.json` with status `rejected`.
    public func reject(jobID: String, scriptID: String?, error: JobError) -> JobResult {
        var record = JobRecord(jobID: jobID, scriptID: scriptID, repository: displayURL)
        let outputFolder = Path.join(configuration.outputDirectory, jobID)
        record.fail(error)
        do throws(JobError) { try prepareOutputFolder(outputFolder) } catch { record.fail(error) }
        return record.write(into: outputFolder)
    }

    /// Everything up to the launch, without running or writing the job's
    /// folders: for `sf-agent check`.
    public func plan(_ job: JobRequest) throws(JobError) -> JobPlan {
        var record = JobRecord(jobID: job.jobID, scriptID: job.scriptID, repository: displayURL)
        return try makePlan(job, record: &record)
    }

    var displayURL: String { RepositoryURL.redacted(configuration.repository.url) }

    // MARK: - Stages

    func makePlan(_ job: JobRequest, record: inout JobRecord) throws(JobError) -> JobPlan {
        let url = configuration.repository.url
        var passed: [String] = []

        // Policy: which script, repository and ref may run.
        let ref: String
        do throws(PolicyViolation) {
            try ScriptPolicy(allowedScripts: configuration.policy.allowedScripts).check(scriptID: job.scriptID)
            passed.append("policy.allowed_scripts: `\(job.scriptID)` is allowed")
            let sourcePolicy = SourcePolicy(
                allowedRepos: configuration.policy.allowedRepos,
                allowedRefs: configuration.policy.allowedRefs,
                requirePinnedCommit: configuration.policy.requirePinnedCommit)
            try sourcePolicy.checkRepository(url, displayURL: displayURL)
            passed.append("policy.allowed_repos: \(displayURL) is allowed")
            ref = try sourcePolicy.effectiveRef(configured: configuration.repository.ref, requested: job.ref)
            passed.append("policy.allowed_refs / require_pinned_commit: ref `\(ref)` is allowed")
        } catch {
            throw JobError(.policyViolation, error.message, rule: error.rule)
        }
        record.ref = ref

        // Source: resolve the ref (fetching only if needed), verify it, check it out.
        let source = try prepareSource(ref: ref, record: &record, passed: &passed)
        let resolved = source.resolved
        let checkout = source.checkout
        let fetchMilliseconds = record.durations.fetch ?? 0
        let checkoutMilliseconds = record.durations.checkout ?? 0

        // Script: resolve inside the checkout, then its interpreter and argv.
        let script: ResolvedScript
        do {
            script = try ScriptResolver.resolve(
                scriptID: job.scriptID, checkout: checkout.path,
                scriptsDirectory: configuration.scripts.directory, extensions: configuration.scripts.extensions)
        } catch {
            throw JobError(error.code == .notFound ? .scriptNotFound : .scriptRefused, error.message)
        }
        let digest: String
        do { digest = try Digest.sha256(ofFile: script.path) } catch {
            throw JobError(.sourceError, "Cannot read script \(script.relativePath): \(error).")
        }
        record.script = JobResult.Script(path: script.relativePath, sha256: digest)

        let interpreter: [String]
        do {
            interpreter = try InterpreterLocator.locate(
                configuration.scripts.interpreters[script.fileExtension] ?? [],
                searchPath: configuration.run.path, key: "interpreter.\(script.fileExtension)")
        } catch {
            throw JobError(.launchError, error.message)
        }
        let argv = interpreter + [script.path]
            + ArgvBuilder.arguments(for: job.parameters, style: .forExtension(script.fileExtension))
        record.argv = argv

        // Who runs it: the run user when the agent is root, else the agent's own user.
        let switchUser = geteuid() == 0
        let user: RunUser
        if switchUser {
            do { user = try RunUser.lookup(configuration.run.user) } catch {
                throw JobError(.configError, "run.user: \(error)")
            }
        } else {
            user = RunUser.current()
        }
        record.user = JobResult.User(uid: user.uid, gid: user.gid, groups: user.groups, name: user.name)

        let workspace = JobWorkspace(workRoot: configuration.workDirectory, jobID: job.jobID)
        let environment = ScriptEnvironment.build(
            for: .init(
                jobID: job.jobID, scriptID: job.scriptID, commit: resolved.commit,
                workDirectory: workspace.directory, artifactsDirectory: workspace.artifactsDirectory,
                parametersFile: workspace.parametersFile, path: configuration.run.path),
            agentEnvironment: agentEnvironment, passthrough: configuration.run.passthrough)

        return JobPlan(
            job: job, repository: displayURL, ref: ref, resolved: resolved, checkout: checkout,
            script: script, scriptSHA256: digest, argv: argv, user: user, switchUser: switchUser,
            workDirectory: workspace.directory, artifactsDirectory: workspace.artifactsDirectory,
            parametersFile: workspace.parametersFile, environment: environment,
            timeout: configuration.run.timeout, killGrace: configuration.run.killGrace,
            passedRules: passed, fetchMilliseconds: fetchMilliseconds, checkoutMilliseconds: checkoutMilliseconds)
    }

    func prepareOutputFolder(_ folder: String) throws(JobError) {
        do {
            try FileSystem.makeDirectories(folder, mode: 0o755)
            // A result from an earlier attempt would claim this one is complete.
            try FileSystem.removeTree(Path.join(folder, ResultWriter.fileName))
        } catch {
            throw JobError(.outputError, "Cannot prepare the output folder: \(error).")
        }
    }

    func launch(_ plan: JobPlan, logsInto folder: String) throws(JobError) -> RunOutcome {
        let output: JobOutput
        do { output = try JobOutput(logDirectory: folder) } catch {
            throw JobError(.outputError, "Cannot create the job's log files: \(error).")
        }
        defer { output.close() }
        do {
            return try Supervisor.run(plan.launchPlan, output: output)
        } catch {
            throw JobError(.launchError, error.description)
        }
    }

    func archive(_ directory: String, into folder: String) throws(JobError) -> ArchiveSummary {
        let compression = ArtifactCompression(rawValue: configuration.compression.rawValue) ?? .gzip
        do {
            return try ArtifactArchiver(compression: compression).archive(directory: directory, into: folder)
        } catch {
            throw JobError(.outputError, "Cannot archive the artifacts: \(error).")
        }
    }

    func stopIfCancelled() throws(JobError) {
        if let signal = AgentSignals.received {
            throw JobError(.cancelled, "The agent received \(SignalName.of(signal)) before the script started; nothing ran.")
        }
    }
}
