import AgentConfig
import AgentSystem
import Artifacts
import ConfigKeys
import GitSource
import JobInput
import Launch
import OutputCapture
import Policy
import Report
import Secrets

/// The real stages: the cache, the host's users and sandbox, real processes
/// and real archives.
extension JobPipeline: JobStages {
    func loadSecrets() throws(JobError) -> JobSecrets {
        try JobSecrets.load(configuration)
    }

    func checkPolicy(_ job: JobRequest) throws(JobError) -> PolicyDecision {
        var decision = try checkPolicy(scriptID: job.scriptID, requestedRef: job.ref)
        decision.expectedCommit = job.expectedCommit
        return decision
    }

    /// Checks the script (when given), the repository and the ref against
    /// policy; returns the ref to fetch and the rules passed.
    func checkPolicy(scriptID: String?, requestedRef: String?) throws(JobError) -> PolicyDecision {
        var passed: [String] = []
        do throws(PolicyViolation) {
            if let scriptID {
                try ScriptPolicy(allowedScripts: configuration.policy.allowedScripts).check(scriptID: scriptID)
                passed.append("\(ConfigKey.policyAllowedScripts): `\(scriptID)` is allowed")
            }
            let sourcePolicy = SourcePolicy(
                allowedRepos: configuration.policy.allowedRepos,
                allowedRefs: configuration.policy.allowedRefs,
                requirePinnedCommit: configuration.policy.requirePinnedCommit)
            try sourcePolicy.checkRepository(configuration.repository.url, displayURL: displayURL)
            passed.append("\(ConfigKey.policyAllowedRepos): \(displayURL) is allowed")
            let ref = try sourcePolicy.effectiveRef(configured: configuration.repository.ref, requested: requestedRef)
            passed.append("\(ConfigKey.policyAllowedRefs) / require_pinned_commit: ref `\(ref)` is allowed")
            return PolicyDecision(ref: ref, passedRules: passed)
        } catch {
            throw JobError(error)
        }
    }

    func makePlan(_ job: JobRequest, source: FetchedSource, secrets: JobSecrets) throws(JobError) -> JobPlan {
        // Script: resolve inside the checkout, then its interpreter and argv.
        let script = try resolveScript(job.scriptID, in: source.checkout)
        let digest: String
        do { digest = try Digest.sha256(ofFile: script.path) } catch {
            throw JobError(.sourceError, "Cannot read script \(script.relativePath): \(error).")
        }
        var pinned: [String] = []
        if let file = configuration.policy.scriptDigests {
            try Self.checkScriptDigest(path: script.relativePath, sha256: digest, file: file)
            pinned.append("\(ConfigKey.policyScriptDigests): \(script.relativePath) has the pinned SHA-256 \(digest)")
        }
        // The resolver tries only the configured extensions, each of which has an interpreter key.
        guard let key = ConfigKey.interpreter(forExtension: script.fileExtension),
            let command = configuration.scripts.interpreters[script.fileExtension]
        else {
            throw JobError(.internalError, "No interpreter key covers .\(script.fileExtension) scripts.")
        }
        let interpreter: [String]
        do {
            interpreter = try InterpreterLocator.locate(command, searchPath: configuration.run.path, key: key)
        } catch {
            throw JobError(error)
        }
        let argv =
            interpreter + [script.path]
            + ArgvBuilder.arguments(for: job.parameters, style: .forExtension(script.fileExtension))

        // Who runs it: the run user when the agent is root, else the agent's own user.
        let switchUser = ProcessIdentity.isRoot
        let user: RunUser
        if switchUser {
            do { user = try RunUser.lookup(configuration.run.user) } catch {
                throw JobError(.configError, "\(ConfigKey.runUser): \(error)")
            }
            guard user.uid != 0 else {
                throw JobError(
                    .configError,
                    "\(ConfigKey.runUser) `\(configuration.run.user)` is root; scripts never run as root. Set \(ConfigKey.runUser) to an unprivileged user such as runner."
                )
            }
        } else {
            user = RunUser.current()
        }

        // Where it runs, what it sees, and which secrets it gets (names only:
        // the values are handed over by `exposeSecrets`).
        let workspace = JobWorkspace(workRoot: configuration.workDirectory, jobID: job.jobID)
        var environment = ScriptEnvironment.build(
            for: .init(
                jobID: job.jobID, scriptID: job.scriptID, commit: source.resolved.commit,
                workDirectory: workspace.directory, artifactsDirectory: workspace.artifactsDirectory,
                parametersFile: workspace.parametersFile, temporaryDirectory: workspace.temporaryDirectory,
                path: configuration.run.path, sourceDateEpoch: source.resolved.committedAt),
            agentEnvironment: agentEnvironment, passthrough: configuration.run.passthrough)
        let handover = try secrets.handover(
            scriptID: job.scriptID, jobID: job.jobID, configuration: configuration, reserved: Set(environment.keys))
        if let folder = handover.folder { environment[SecretExposure.directoryVariable] = folder }
        var sandbox = try makeSandbox(user: user, checkout: source.checkout.path, workDirectory: workspace.directory)
        if let folder = handover.folder {
            // The job's own secrets folder is the one secret place Landlock lets it read.
            sandbox.rules.append(LandlockRule(folder, [.readFile, .readDir]))
        }
        let require = configuration.sandbox.require
        let passed =
            source.passedRules + pinned + [
                "\(ConfigKey.sandboxRequire): \(require.isEmpty ? "nothing required" : require.map(\.rawValue).joined(separator: ", ") + " can apply")"
            ]
        return JobPlan(
            job: job, repository: displayURL, ref: source.ref, resolved: source.resolved, checkout: source.checkout,
            script: script, scriptSHA256: digest, argv: argv, user: user, switchUser: switchUser,
            workDirectory: workspace.directory, artifactsDirectory: workspace.artifactsDirectory,
            parametersFile: workspace.parametersFile, environment: environment,
            secretVariables: handover.variables, secretsFolder: handover.folder,
            timeout: configuration.run.timeout, killGrace: configuration.run.killGrace, sandbox: sandbox,
            passedRules: passed)
    }

    /// `policy.script_digests`: the script's content must match its line in
    /// `file`. A file that cannot be read or parsed is a configuration
    /// error naming the line; a missing line or another digest, a refusal.
    static func checkScriptDigest(path: String, sha256: String, file: String) throws(JobError) {
        let text: String
        do { text = String(decoding: try FileSystem.readFile(file), as: UTF8.self) } catch {
            throw JobError(
                .configError, "\(ConfigKey.policyScriptDigests): cannot read \(file): \(error).",
                rule: .key(.policyScriptDigests))
        }
        let digests: ScriptDigests
        do { digests = try ScriptDigests(parsing: text, file: file) } catch {
            throw JobError(error)
        }
        do { try digests.check(path: path, sha256: sha256) } catch {
            throw JobError(error)
        }
    }

    /// Finds the script `scriptID` names inside the checkout.
    func resolveScript(_ scriptID: String, in checkout: Checkout) throws(JobError) -> ResolvedScript {
        do {
            return try ScriptResolver.resolve(
                scriptID: scriptID, checkout: checkout.path,
                scriptsDirectory: configuration.scripts.directory, extensions: configuration.scripts.extensions)
        } catch {
            throw JobError(error)
        }
    }

    func checkStop() throws(JobError) {
        if let signal = AgentSignals.received {
            throw JobError(
                .cancelled, "The agent received \(SignalName.of(signal)) before the script started; nothing ran.")
        }
    }

    func exposeSecrets(_ plan: JobPlan, secrets: JobSecrets) throws(JobError) -> [String: String] {
        try secrets.expose(
            scriptID: plan.job.scriptID, jobID: plan.job.jobID, configuration: configuration,
            owner: plan.switchUser ? plan.user : nil, reserved: Set(plan.environment.keys))
    }

    func launch(_ plan: JobPlan, secretEnvironment: [String: String], logsInto folder: String, masker: SecretMasker)
        -> Launched
    {
        let options = OutputOptions(
            format: LiveFormat(configuration.output.format),
            maximumLogBytes: configuration.output.maximumLogBytes)
        let output: JobOutput
        do { output = try JobOutput(logDirectory: folder, options: options) } catch {
            return Launched(
                outcome: nil, logs: nil,
                failure: OutputProblem.jobError(
                    "Cannot create the job's log files", error, outputDirectory: configuration.outputDirectory))
        }
        // Secrets are masked before a byte reaches the console or a log.
        let masked = MaskingOutput(masker: masker, next: output)
        var outcome: RunOutcome?
        var failure: LaunchError?
        var launchPlan = plan.launchPlan(secretEnvironment: secretEnvironment)
        let home = prepareHome(for: plan)
        launchPlan.sandbox?.passwordFile = home.passwordFile
        do { outcome = try Supervisor.run(launchPlan, output: masked) } catch { failure = error }
        removeHome(home)
        masked.finish()
        let summaries = output.close()
        let logs = JobResult.Logs(
            maximumBytes: configuration.output.maximumLogBytes,
            files: summaries.map {
                JobResult.Logs.File(
                    file: $0.file, bytes: $0.bytes, droppedBytes: $0.droppedBytes, error: $0.error?.description)
            })
        guard let outcome else {
            return Launched(
                outcome: nil, logs: logs,
                failure: failure.map(JobError.init) ?? JobError(.launchError, "The script could not be run."))
        }
        let broken = summaries.first { $0.error != nil }
        return Launched(
            outcome: outcome, logs: logs,
            failure: broken.map {
                JobError(.outputError, "The log \($0.file) is incomplete: \($0.error?.description ?? "write failed").")
            })
    }

    func collect(_ plan: JobPlan, job: JobRequest, record: JobRecord, into folder: String, masker: SecretMasker)
        -> Collected
    {
        let start = ContinuousClock.now
        let summary: ArchiveSummary
        do {
            summary = try archive(plan.artifactsDirectory, into: folder, masker: masker, plan: plan)
        } catch {
            return Collected(archive: nil, milliseconds: (ContinuousClock.now - start).milliseconds, failure: error)
        }
        let milliseconds = (ContinuousClock.now - start).milliseconds
        let provenance = JobProvenance.statement(
            job: job, record: record, archive: summary, masker: masker, runnerImage: agentEnvironment["SF_RUNNER_IMAGE"]
        )
        do { try provenance?.write(into: folder) } catch {
            return Collected(archive: summary, milliseconds: milliseconds, failure: error)
        }
        return Collected(archive: summary, milliseconds: milliseconds, failure: nil)
    }

    /// Archives the artifacts directory into `folder` with its manifest,
    /// read by a child with the job's user and Landlock domain.
    func archive(_ directory: String, into folder: String, masker: SecretMasker, plan: JobPlan) throws(JobError)
        -> ArchiveSummary
    {
        let ruleset: LandlockRuleset?
        do { ruleset = try LandlockRuleset.of(plan.sandbox) } catch {
            throw JobError(.outputError, "Cannot archive the artifacts: \(error)")
        }
        defer { withExtendedLifetime(ruleset) {} }
        let user = plan.user
        let identity =
            plan.switchUser ? ArtifactReader.Identity(uid: user.uid, gid: user.gid, groups: user.groups) : nil
        let settings = configuration.artifacts
        let archiver = ArtifactArchiver(
            compression: ArtifactCompression(configuration.compression), level: settings.level,
            threads: settings.threads,
            limits: ArtifactLimits(maximumBytes: settings.maximumBytes, maximumEntries: settings.maximumFiles),
            secretScan: SecretScan(settings.scanSecrets, masker: masker), writesManifest: true, masker: masker,
            normalization: plan.resolved.committedAt.map { ArchiveNormalization(sourceDateEpoch: $0) })
        let summary: ArchiveSummary
        do {
            summary = try archiver.archive(
                directory: directory, into: folder, readingAs: identity, landlockRuleset: ruleset?.descriptor)
        } catch {
            throw JobError(error)
        }
        for path in summary.secretPaths {
            AgentLog.warning(
                "The artifact \(path) holds a secret value (\(ConfigKey.artifactsScanSecrets) = warn); it was archived."
            )
        }
        if !summary.unreadable.isEmpty {
            let shown = summary.unreadable.prefix(10).map { "\($0.path) (\($0.reason))" }
            let more =
                summary.unreadable.count > shown.count ? "; and \(summary.unreadable.count - shown.count) more" : ""
            AgentLog.warning(
                "\(summary.unreadable.count) artifact(s) could not be read and are not in the archive: "
                    + shown.joined(separator: "; ") + more + " (result.json: artifacts.unreadable).")
        }
        return summary
    }
}
