import AgentConfig
import AgentSystem
import GitSource
import JobInput
import Report

/// `sf-agent replay DIR`: runs a recorded job again exactly — the same
/// repository, the recorded commit (not its ref), script, parameters and
/// configuration — under a new `JOB_ID`, then compares the two.
///
/// ```swift
/// let replay = try JobReplay.prepare(folder: "/output/job-1", configuration: config, agentEnvironment: env)
/// let outcome = try replay.run()
/// print(outcome.lines.joined(separator: "\n"))   // "reproduced: identical artifacts" …
/// ```
///
/// It refuses, naming the difference, when the configuration values that
/// shaped the run (``ShapingValues``) differ, the commit cannot be had
/// any more, or the script at that commit no longer has the recorded digest.
package struct JobReplay: Sendable {
    /// Why a replay cannot run or could not be compared.
    package struct Refusal: AgentError {
        /// Why: no readable record, a record that cannot be repeated here, or a replay that failed.
        package enum Code: String, Sendable, CaseIterable { case noResult, refused, failed }
        package var code: Code
        package var message: String
    }

    /// The original job's folder.
    package let folder: String
    /// The new job's id.
    package let jobID: String
    /// The recorded job.
    package let recorded: RecordedFiles.Result
    let pipeline: JobPipeline
    let environment: [String: String]

    /// Reads the recorded job, checks that it can be repeated, and plans
    /// the replay (fetching the commit when the cache lacks it): nothing runs.
    package static func prepare(
        folder: String, configuration: AgentConfiguration, agentEnvironment: [String: String],
        configurationFile: String? = nil,
        jobID requested: String? = nil, now: Timestamp = Timestamp.now()
    ) throws(Refusal) -> JobReplay {
        // The job comes from the folder, never from the environment.
        let agentEnvironment = agentEnvironment.filter { !JobRequest.variables.contains($0.key) }
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(Path.join(folder, ResultWriter.fileName)) } catch {
            throw Refusal(
                code: .noResult,
                message: "\(folder) holds no result.json: name a job's output folder whose job has ended.")
        }
        let recorded: RecordedFiles.Result
        switch RecordedFiles.decode(RecordedFiles.Result.self, from: bytes) {
        case .success(let result): recorded = result
        case .failure(let failure):
            throw Refusal(code: .noResult, message: "\(folder)/result.json cannot be read: \(failure.reason).")
        }
        // Only a folder as its job left it is replayed: its record chooses the
        // commit, script and parameters that will run.
        do {
            let mismatches = try JobFolderVerifier(folder: folder).verify().mismatches
            guard mismatches.isEmpty else {
                throw Refusal(
                    code: .refused,
                    message:
                        "The folder of job \(recorded.jobID) does not verify, so its record cannot say what to run; "
                        + "nothing ran (`sf-agent verify \(folder)` lists each change): "
                        + mismatches.prefix(3).map(\.description).joined(separator: "; ") + ".")
            }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal(
                code: .noResult,
                message: "\(folder) holds no result.json: name a job's output folder whose job has ended.")
        }
        guard let commit = recorded.commit, let script = recorded.script, let scriptID = recorded.scriptID,
            let reproducibility = recorded.reproducibility
        else {
            throw Refusal(
                code: .refused,
                message:
                    "Job \(recorded.jobID) cannot be replayed: its result.json records no commit, script or reproducibility "
                    + "(the job ended before its plan, or an older agent ran it).")
        }
        let current = ShapingValues.of(configuration)
        let differences = ReplayComparison.configurationDifferences(
            recorded: reproducibility.configuration.values, current: current.values)
        guard differences.isEmpty else {
            throw Refusal(
                code: .refused,
                message: "Job \(recorded.jobID) ran under another configuration; nothing ran. Set these as they were: "
                    + differences.joined(separator: "; ") + ".")
        }
        if reproducibility.parameters.contains("***") {
            throw Refusal(
                code: .refused,
                message:
                    "Job \(recorded.jobID)'s recorded PARAMETERS hold masked secret values (***); they cannot be replayed."
            )
        }
        let parameters: Parameters
        do { parameters = try ParametersParser.parse(reproducibility.parameters) } catch {
            throw Refusal(
                code: .refused, message: "Job \(recorded.jobID)'s recorded PARAMETERS cannot be read: \(error).")
        }
        let newID: String
        do { newID = try JobRequest.validJobID(requested ?? derivedJobID(recorded.jobID, now: now)) } catch {
            throw Refusal(code: .refused, message: "--job-id: \(error)")
        }
        // The recorded commit is the configured ref: the operator's choice, not the job's (policy.allowed_refs).
        var pinned = configuration
        pinned.repository.ref = commit
        let pipeline = JobPipeline(
            configuration: pinned, agentEnvironment: agentEnvironment, configurationFile: configurationFile)
        let job = JobRequest(jobID: newID, scriptID: scriptID, parameters: parameters, expectedCommit: commit)
        let plan: JobPlan
        do { plan = try pipeline.plan(job) } catch {
            let gone = error.code == .sourceError || error.code == .invalidJob
            throw Refusal(
                code: .refused,
                message: gone
                    ? "Commit \(commit) of job \(recorded.jobID) cannot be had any more; nothing ran: \(error.message)"
                    : "Job \(recorded.jobID) cannot be replayed here; nothing ran: \(error.message)")
        }
        guard plan.script.relativePath == script.path, plan.scriptSHA256 == script.sha256 else {
            throw Refusal(
                code: .refused,
                message:
                    "The script of job \(recorded.jobID) is \(plan.script.relativePath) with SHA-256 \(plan.scriptSHA256) at commit \(commit) "
                    + "now, but \(script.path) with SHA-256 \(script.sha256) ran; nothing ran.")
        }
        var environment = agentEnvironment
        environment["JOB_ID"] = newID
        environment["SCRIPT_ID"] = scriptID
        environment["PARAMETERS"] = reproducibility.parameters
        environment["SCRIPTS_COMMIT"] = commit
        return JobReplay(folder: folder, jobID: newID, recorded: recorded, pipeline: pipeline, environment: environment)
    }

    /// `<JOB_ID>-replay-<UTC time>`, shortened to fit `JOB_ID`'s 128 bytes.
    package static func derivedJobID(_ original: String, now: Timestamp) -> String {
        // To the millisecond: two replays of one job in the same second get two ids.
        let stamp = now.rfc3339.filter { $0.isNumber }.prefix(17)
        let suffix = "-replay-\(stamp)"
        return String(original.prefix(128 - suffix.utf8.count)) + suffix
    }

    /// Runs the replay (its own `result.json` in `<output.dir>/<jobID>/`) and compares it with the original.
    package func run() -> (completion: JobCompletion, outcome: Result<ReplayComparison.Outcome, Refusal>) {
        let completion = pipeline.run(environment: environment)
        return (completion, compare(completion))
    }

    private func compare(_ completion: JobCompletion) -> Result<ReplayComparison.Outcome, Refusal> {
        guard let replayFolder = completion.folder else {
            return .failure(
                Refusal(
                    code: .failed,
                    message: "The replay wrote no folder: \(completion.result.error?.message ?? "unknown error")."))
        }
        func manifest(_ directory: String, _ artifacts: RecordedFiles.Result.Artifacts?) -> [RecordedFiles.Manifest
            .Entry]
        {
            guard let name = artifacts?.manifest, let bytes = try? FileSystem.readFile(Path.join(directory, name)),
                case .success(let manifest) = RecordedFiles.decode(RecordedFiles.Manifest.self, from: bytes)
            else { return [] }
            return manifest.entries
        }
        guard let bytes = try? FileSystem.readFile(Path.join(replayFolder, ResultWriter.fileName)),
            case .success(let replayed) = RecordedFiles.decode(RecordedFiles.Result.self, from: bytes)
        else {
            return .failure(
                Refusal(code: .failed, message: "The replay's result.json in \(replayFolder) cannot be read."))
        }
        let outcome = ReplayComparison.Outcome(
            identicalArchive: recorded.artifacts?.sha256 == replayed.artifacts?.sha256,
            differingFiles: ReplayComparison.differingFiles(
                original: manifest(folder, recorded.artifacts), replay: manifest(replayFolder, replayed.artifacts)),
            originalStatus: recorded.status, replayStatus: replayed.status,
            originalExitCode: recorded.exitCode, replayExitCode: replayed.exitCode)
        return .success(outcome)
    }
}
