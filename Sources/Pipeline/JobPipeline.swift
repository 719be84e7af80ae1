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
    /// The configuration file the agent read, kept out of the script's reach.
    public let configurationFile: String?

    public init(configuration: AgentConfiguration, agentEnvironment: [String: String], configurationFile: String? = nil) {
        self.configuration = configuration
        self.agentEnvironment = agentEnvironment
        self.configurationFile = configurationFile
    }

    /// Runs `job` and writes its output folder; `result.json` comes last.
    public func run(_ job: JobRequest) -> JobResult {
        var record = JobRecord(jobID: job.jobID, scriptID: job.scriptID, repository: displayURL)
        let outputFolder = Path.join(configuration.outputDirectory, job.jobID)
        var secrets = JobSecrets.credentialsOnly(configuration)
        var secretsFolder: String?
        do throws(JobError) {
            try prepareOutputFolder(outputFolder)
            secrets = try JobSecrets.load(configuration)
            var plan = try makePlan(job, record: &record)
            try stopIfCancelled()
            let workspace = JobWorkspace(workRoot: configuration.workDirectory, jobID: job.jobID)
            try workspace.create(owner: plan.switchUser ? plan.user : nil, parametersJSON: job.parameters.json)
            let exposure = try secrets.expose(
                scriptID: job.scriptID, jobID: job.jobID, configuration: configuration,
                owner: plan.switchUser ? plan.user : nil, reserved: Set(plan.environment.keys))
            secretsFolder = exposure.folder
            plan.environment.merge(exposure.environment) { $1 }
            if let folder = exposure.folder {
                // The job's own secrets folder is the one secret place Landlock lets it read.
                plan.sandbox.rules.append(LandlockRule((try? FileSystem.realPath(folder)) ?? folder, [.readFile, .readDir]))
            }
            let outcome = try launch(plan, logsInto: outputFolder, masker: secrets.masker, record: &record)
            record.sandbox = Self.report(plan.sandbox, user: plan.user)
            record.finishRun(outcome)
            let archiveStart = ContinuousClock.now
            let summary = try archive(workspace.artifactsDirectory, into: outputFolder, masker: secrets.masker, plan: plan)
            record.durations.archive = (ContinuousClock.now - archiveStart).milliseconds
            record.artifacts = summary
            let provenance = JobProvenance.statement(
                job: job, record: record, archive: summary, masker: secrets.masker,
                runnerImage: agentEnvironment["SF_RUNNER_IMAGE"])
            try provenance?.write(into: outputFolder)
            workspace.remove()
        } catch {
            record.fail(error)
        }
        if let secretsFolder, let failure = SecretExposure.removeFiles(secretsFolder) {
            record.fail(JobError(.outputError, failure.message))
        }
        return writeResult(record, into: outputFolder, secrets: secrets)
    }

    /// Records a job refused before it could be read whole (say, bad
    /// `PARAMETERS`): writes a `result.json` with status `rejected`.
    public func reject(jobID: String, scriptID: String?, error: JobError) -> JobResult {
        var record = JobRecord(jobID: jobID, scriptID: scriptID, repository: displayURL)
        let outputFolder = Path.join(configuration.outputDirectory, jobID)
        record.fail(error)
        do throws(JobError) { try prepareOutputFolder(outputFolder) } catch { record.fail(error) }
        let secrets = (try? JobSecrets.load(configuration)) ?? JobSecrets.credentialsOnly(configuration)
        return writeResult(record, into: outputFolder, secrets: secrets)
    }

    /// Everything up to the launch, without running or writing the job's
    /// folders: for `sf-agent check`.
    public func plan(_ job: JobRequest) throws(JobError) -> JobPlan {
        var record = JobRecord(jobID: job.jobID, scriptID: job.scriptID, repository: displayURL)
        return try makePlan(job, record: &record)
    }

    /// The plan as `sf-agent check` prints it, with every secret and the
    /// agent's credentials masked (in argv, paths and messages alike).
    public func renderedPlan(_ job: JobRequest) throws(JobError) -> String {
        let secrets = try JobSecrets.load(configuration)
        do {
            let lines = [try plan(job).rendered()] + JobPlan.display(configuration.environmentLock, ignored: configuration.ignoredVariables)
            return secrets.masker.mask(lines.joined(separator: "\n"))
        } catch {
            throw JobError(error.code, secrets.masker.mask(error.message), rule: error.rule)
        }
    }

    var displayURL: String { RepositoryURL.redacted(configuration.repository.url) }

    // MARK: - Stages

    func makePlan(_ job: JobRequest, record: inout JobRecord) throws(JobError) -> JobPlan {
        var passed: [String] = []

        // Policy: which script, repository and ref may run.
        let ref = try checkPolicy(scriptID: job.scriptID, requestedRef: job.ref, passed: &passed)
        record.ref = ref

        // Source: resolve the ref (fetching only if needed), verify it, check it out.
        let source = try prepareSource(ref: ref, record: &record, passed: &passed)
        let resolved = source.resolved
        let checkout = source.checkout

        // Script: resolve inside the checkout, then its interpreter and argv.
        let script = try resolveScript(job.scriptID, in: checkout)
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
            guard user.uid != 0 else {
                throw JobError(.configError, "run.user `\(configuration.run.user)` is root; scripts never run as root. Set run.user to an unprivileged user such as runner.")
            }
        } else {
            user = RunUser.current()
        }
        record.user = JobResult.User(uid: user.uid, gid: user.gid, groups: user.groups, name: user.name)

        let workspace = JobWorkspace(workRoot: configuration.workDirectory, jobID: job.jobID)
        let sandbox = try makeSandbox(user: user, checkout: checkout.path, workDirectory: workspace.directory)
        passed.append("sandbox.require: \(configuration.sandbox.require.isEmpty ? "nothing required" : configuration.sandbox.require.joined(separator: ", ") + " can apply")")
        let environment = ScriptEnvironment.build(
            for: .init(
                jobID: job.jobID, scriptID: job.scriptID, commit: resolved.commit,
                workDirectory: workspace.directory, artifactsDirectory: workspace.artifactsDirectory,
                parametersFile: workspace.parametersFile, temporaryDirectory: workspace.temporaryDirectory,
                path: configuration.run.path),
            agentEnvironment: agentEnvironment, passthrough: configuration.run.passthrough)

        return JobPlan(
            job: job, repository: displayURL, ref: ref, resolved: resolved, checkout: checkout,
            script: script, scriptSHA256: digest, argv: argv, user: user, switchUser: switchUser,
            workDirectory: workspace.directory, artifactsDirectory: workspace.artifactsDirectory,
            parametersFile: workspace.parametersFile, environment: environment,
            timeout: configuration.run.timeout, killGrace: configuration.run.killGrace, sandbox: sandbox,
            passedRules: passed)
    }

    /// Checks the script (when given), the repository and the ref against
    /// policy; returns the ref to fetch and appends the rules passed.
    func checkPolicy(scriptID: String?, requestedRef: String?, passed: inout [String]) throws(JobError) -> String {
        do throws(PolicyViolation) {
            if let scriptID {
                try ScriptPolicy(allowedScripts: configuration.policy.allowedScripts).check(scriptID: scriptID)
                passed.append("policy.allowed_scripts: `\(scriptID)` is allowed")
            }
            let sourcePolicy = SourcePolicy(
                allowedRepos: configuration.policy.allowedRepos,
                allowedRefs: configuration.policy.allowedRefs,
                requirePinnedCommit: configuration.policy.requirePinnedCommit)
            try sourcePolicy.checkRepository(configuration.repository.url, displayURL: displayURL)
            passed.append("policy.allowed_repos: \(displayURL) is allowed")
            let ref = try sourcePolicy.effectiveRef(configured: configuration.repository.ref, requested: requestedRef)
            passed.append("policy.allowed_refs / require_pinned_commit: ref `\(ref)` is allowed")
            return ref
        } catch {
            throw JobError(.policyViolation, error.message, rule: error.rule)
        }
    }

    /// Finds the script `scriptID` names inside the checkout.
    func resolveScript(_ scriptID: String, in checkout: Checkout) throws(JobError) -> ResolvedScript {
        do {
            return try ScriptResolver.resolve(
                scriptID: scriptID, checkout: checkout.path,
                scriptsDirectory: configuration.scripts.directory, extensions: configuration.scripts.extensions)
        } catch {
            throw JobError(error.code == .notFound ? .scriptNotFound : .scriptRefused, error.message)
        }
    }

    /// Starts the job's output folder empty: files of an earlier run of the
    /// same `JOB_ID` (a result, an archive, logs) must not pass for this one's.
    func prepareOutputFolder(_ folder: String) throws(JobError) {
        do {
            try FileSystem.removeTree(folder)
            try FileSystem.makeDirectories(folder, mode: 0o755)
        } catch {
            throw JobError(.outputError, "Cannot prepare the output folder: \(error).")
        }
    }

    func launch(
        _ plan: JobPlan, logsInto folder: String, masker: SecretMasker, record: inout JobRecord
    ) throws(JobError) -> RunOutcome {
        let options = OutputOptions(
            format: LiveFormat(rawValue: configuration.output.format.rawValue) ?? .plain,
            maximumLogBytes: configuration.output.maximumLogBytes)
        let output: JobOutput
        do { output = try JobOutput(logDirectory: folder, options: options) } catch {
            throw JobError(.outputError, "Cannot create the job's log files: \(error).")
        }
        // Secrets are masked before a byte reaches the console or a log.
        let masked = MaskingOutput(masker: masker, next: output)
        var outcome: RunOutcome?
        var failure: LaunchError?
        var launchPlan = plan.launchPlan
        let home = prepareHome(for: plan)
        launchPlan.sandbox?.passwordFile = home.passwordFile
        do { outcome = try Supervisor.run(launchPlan, output: masked) } catch { failure = error }
        removeHome(home)
        masked.finish()
        let logs = output.close()
        record.logs = JobResult.Logs(
            maximumBytes: configuration.output.maximumLogBytes,
            files: logs.map {
                JobResult.Logs.File(file: $0.file, bytes: $0.bytes, droppedBytes: $0.droppedBytes, error: $0.error?.description)
            })
        guard let outcome else {
            throw JobError(.launchError, failure?.description ?? "The script could not be run.")
        }
        if let broken = logs.first(where: { $0.error != nil }), let error = broken.error {
            record.fail(JobError(.outputError, "The log \(broken.file) is incomplete: \(error)."))
        }
        return outcome
    }

    /// Archives the job's artifacts with the job's privileges: the reader
    /// runs as the job's user (a root agent switches to it) inside the job's
    /// Landlock domain, so a race it loses exposes only what the script could
    /// read anyway. Names and link targets are masked like every output.
    func archive(_ directory: String, into folder: String, masker: SecretMasker, plan: JobPlan) throws(JobError) -> ArchiveSummary {
        let ruleset: LandlockRuleset?
        do { ruleset = try LandlockRuleset.of(plan.sandbox) } catch {
            throw JobError(.outputError, "Cannot archive the artifacts: \(error).")
        }
        defer { withExtendedLifetime(ruleset) {} }
        let user = plan.user
        let identity = plan.switchUser ? ArtifactReader.Identity(uid: user.uid, gid: user.gid, groups: user.groups) : nil
        let compression: ArtifactCompression =
            switch configuration.compression {
            case .gzip: .gzip
            case .zstd: .zstd
            case .none: .none
            }
        let settings = configuration.artifacts
        let scan = settings.scanSecrets == .off ? nil : SecretScan(masker: masker, failOnFind: settings.scanSecrets == .fail)
        let archiver = ArtifactArchiver(
            compression: compression, level: settings.level, threads: settings.threads,
            limits: ArtifactLimits(maximumBytes: settings.maximumBytes, maximumEntries: settings.maximumFiles),
            secretScan: scan, writesManifest: true, masker: masker)
        let summary: ArchiveSummary
        do {
            summary = try archiver.archive(
                directory: directory, into: folder, readingAs: identity, landlockRuleset: ruleset?.descriptor)
        } catch {
            switch error.code {
            case .limitExceeded: throw JobError(.artifactsRejected, error.description, rule: error.excess?.key)
            case .secretFound: throw JobError(.artifactsRejected, error.description, rule: ConfigKey.artifactsScanSecrets.name)
            default: throw JobError(.outputError, "Cannot archive the artifacts: \(error)")
            }
        }
        for path in summary.secretPaths {
            AgentLog.warning("The artifact \(path) holds a secret value (artifacts.scan_secrets = warn); it was archived.")
        }
        if !summary.unreadable.isEmpty {
            let shown = summary.unreadable.prefix(10).map { "\($0.path) (\($0.reason))" }
            let more = summary.unreadable.count > shown.count ? "; and \(summary.unreadable.count - shown.count) more" : ""
            AgentLog.warning(
                "\(summary.unreadable.count) artifact(s) could not be read and are not in the archive: "
                    + shown.joined(separator: "; ") + more + " (result.json: artifacts.unreadable).")
        }
        return summary
    }

    /// Delivers the report (if configured), gives the folder to
    /// `output.owner`, then writes `result.json` (masked) and gives it too.
    func writeResult(_ record: JobRecord, into folder: String, secrets: JobSecrets) -> JobResult {
        let masker = secrets.masker
        var record = record
        record.report = JobReport.deliver(record.maskedResult(masker.mask), configuration: configuration, secrets: secrets)
        if let owner = configuration.output.owner, let failure = OutputOwnership.give(folder, to: owner) {
            record.fail(JobError(.outputError, failure))
        }
        let result = record.write(into: folder, masking: masker.mask)
        if let owner = configuration.output.owner,
            let failure = OutputOwnership.give(Path.join(folder, ResultWriter.fileName), to: owner, recursive: false)
        {
            AgentLog.warning(failure)
        }
        return result
    }

    func stopIfCancelled() throws(JobError) {
        if let signal = AgentSignals.received {
            throw JobError(.cancelled, "The agent received \(SignalName.of(signal)) before the script started; nothing ran.")
        }
    }
}
