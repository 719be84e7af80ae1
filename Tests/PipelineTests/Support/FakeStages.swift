import AgentConfig
import AgentSystem
import Artifacts
import ConfigKeys
import Foundation
import GitSource
import JobInput
import Launch
import Report
import Secrets
import TestSupport
import Testing

@testable import Pipeline

/// A private world for one pipeline test: configuration, work, output and
/// secrets folders under a fresh temporary directory. No git server, no
/// process is started, no root needed.
struct PipelineWorld {
    let root: String
    let pipeline: JobPipeline
    var work: String { root + "/work" }
    var output: String { root + "/output" }
    var secretsFiles: String { root + "/secret-files" }

    init(settings: [String: String] = [:]) throws {
        let root = try FixtureTools.temporaryDirectory("sf-pipeline")
        self.root = root
        let empty = root + "/agent.conf"
        try FileSystem.writeAtomically([], to: empty)
        var flags = [
            "repo.url": root + "/repo", "cache.dir": root + "/cache", "work.dir": root + "/work",
            "output.dir": root + "/output",
            "secrets.files_dir": root + "/secret-files", "policy.allowed_scripts": "*",
        ]
        flags.merge(settings) { $1 }
        let configuration = try ConfigLoader.load(configPath: empty, environment: [:], flags: flags)
        pipeline = JobPipeline(configuration: configuration, agentEnvironment: [:])
    }

    func remove() {
        FixtureTools.removeTree(root)
    }

    func environment(_ jobID: String) -> [String: String] {
        ["JOB_ID": jobID, "SCRIPT_ID": "hello", "PARAMETERS": #"{"n": 1}"#]
    }

    func jobFolder(_ jobID: String) -> String { output + "/" + jobID }
    func workDirectory(_ jobID: String) -> String { work + "/" + jobID }
    func secretsFolder(_ jobID: String) -> String { secretsFiles + "/" + jobID }

    func exists(_ path: String) -> Bool { FileSystem.exists(path) }

    /// A result.json, parsed.
    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The names in a folder, sorted.
    func names(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }
}

/// Where a fake stage fails.
enum FailurePoint: String, CaseIterable, CustomStringConvertible, Sendable {
    case secrets, policy, source, plan, stopBeforeLaunch, expose, launch, timeout, cancel, artifactsTooBig,
        artifactSecret
    case outputFull, provenance

    var description: String { rawValue }
}

/// What the fakes saw, in order.
final class StageLog: @unchecked Sendable {
    var calls: [String] = []
    /// Whether the workspace existed when the script was launched.
    var workspaceAtLaunch: Bool?
    /// Whether the secrets folder existed when the script was launched.
    var secretsAtLaunch: Bool?
    /// The plan the launch got.
    var launchedPlan: JobPlan?
}

/// The stages with in-process fakes: a fake checkout, a fake plan whose
/// secrets folder is under the world, a fake launch that writes a log, a
/// fake collect that publishes a small archive, each able to fail.
struct FakeStages: JobStages {
    let world: PipelineWorld
    let log: StageLog
    var failing: FailurePoint?

    static let commit = String(repeating: "a", count: 40)

    func loadSecrets() throws(JobError) -> JobSecrets {
        log.calls.append("secrets")
        if failing == .secrets { throw JobError(.configError, "fake: secrets.dir is unreadable.") }
        let secret = Secret(name: "token", contents: Array("fake-secret-value\n".utf8), path: "/fake/token")
        return JobSecrets(secrets: [secret], masker: SecretMasker(values: [secret.value], names: [secret.name]))
    }

    func checkPolicy(_ job: JobRequest) throws(JobError) -> PolicyDecision {
        log.calls.append("policy")
        if failing == .policy {
            throw JobError(.policyViolation, "fake: not allowed.", rule: .key(.policyAllowedScripts))
        }
        return PolicyDecision(ref: "main", passedRules: ["fake policy"])
    }

    func fetchSource(_ decision: PolicyDecision) throws(JobError) -> FetchedSource {
        log.calls.append("source")
        if failing == .source { throw JobError(.sourceError, "fake: the server is gone.") }
        return FetchedSource(
            ref: decision.ref,
            resolved: ResolvedRef(commit: Self.commit, refName: "refs/heads/main", fetched: true, attempts: 1),
            checkout: Checkout(path: world.root + "/checkout", commit: Self.commit, reused: false),
            passedRules: decision.passedRules,
            record: JobResult.Source(
                refName: "refs/heads/main", tag: nil, fetched: true, attempts: 1, rebuilt: false, checkoutReused: false),
            fetchMilliseconds: 1, checkoutMilliseconds: 1)
    }

    func makePlan(_ job: JobRequest, source: FetchedSource, secrets: JobSecrets) throws(JobError) -> JobPlan {
        log.calls.append("plan")
        if failing == .plan { throw JobError(.scriptNotFound, "fake: no such script.") }
        return Self.plan(job, source: source, world: world)
    }

    /// The plan every fake job gets: its secrets in files, their folder's Landlock rule included.
    static func plan(_ job: JobRequest, source: FetchedSource, world: PipelineWorld) -> JobPlan {
        let workspace = JobWorkspace(workRoot: world.work, jobID: job.jobID)
        let secretsFolder = world.secretsFolder(job.jobID)
        let script = ResolvedScript(
            path: source.checkout.path + "/hello.sh", relativePath: "hello.sh", fileExtension: "sh")
        return JobPlan(
            job: job, repository: "fake", ref: source.ref, resolved: source.resolved, checkout: source.checkout,
            script: script, scriptSHA256: String(repeating: "b", count: 64), argv: ["/bin/sh", script.path],
            user: RunUser.current(), switchUser: false, workDirectory: workspace.directory,
            artifactsDirectory: workspace.artifactsDirectory, parametersFile: workspace.parametersFile,
            environment: ["PATH": "/bin", SecretExposure.directoryVariable: secretsFolder], secretVariables: [],
            secretsFolder: secretsFolder, timeout: .seconds(60), killGrace: .seconds(5),
            sandbox: SandboxPlan(
                landlockABI: 7, rules: [LandlockRule(secretsFolder, [.readFile, .readDir])], network: .host,
                seccomp: false,
                sockets: .any, limits: ResourceLimits()),
            passedRules: source.passedRules)
    }

    func checkStop() throws(JobError) {
        log.calls.append("stop?")
        if failing == .stopBeforeLaunch && log.calls.contains("plan") {
            throw JobError(.cancelled, "fake: the agent received SIGTERM before the script started; nothing ran.")
        }
    }

    func exposeSecrets(_ plan: JobPlan, secrets: JobSecrets) throws(JobError) -> [String: String] {
        log.calls.append("expose")
        if let folder = plan.secretsFolder {
            try? FileSystem.makeDirectories(folder, mode: 0o700)
            try? FileSystem.writeAtomically(Array("fake-secret-value".utf8), to: folder + "/token", mode: 0o400)
        }
        if failing == .expose { throw JobError(.outputError, "fake: cannot finish the secrets folder.") }
        return [:]
    }

    func launch(_ plan: JobPlan, secretEnvironment: [String: String], logsInto folder: String, masker: SecretMasker)
        -> Launched
    {
        log.calls.append("launch")
        log.workspaceAtLaunch = FileSystem.isDirectory(plan.workDirectory)
        log.secretsAtLaunch = plan.secretsFolder.map(FileSystem.isDirectory)
        log.launchedPlan = plan
        try? FileSystem.writeAtomically(Array("fake output\n".utf8), to: folder + "/stdout.log", mode: 0o644)
        // The "script" leaves an artifact and a copy of its secret in its work directory.
        try? FileSystem.writeAtomically(
            Array("fake-secret-value".utf8), to: plan.artifactsDirectory + "/leak.txt", mode: 0o644)
        let logs = JobResult.Logs(
            maximumBytes: nil, files: [.init(file: "stdout.log", bytes: 12, droppedBytes: 0, error: nil)])
        if failing == .launch {
            return Launched(
                outcome: nil, logs: logs,
                failure: JobError(.launchError, "fake: cannot execute /bin/sh: Permission denied."))
        }
        let outcome = RunOutcome(
            termination: failing == .timeout || failing == .cancel ? .signaled(15) : .exited(0),
            timedOut: failing == .timeout, cancelled: failing == .cancel, duration: .milliseconds(7))
        return Launched(outcome: outcome, logs: logs, failure: nil)
    }

    func collect(_ plan: JobPlan, job: JobRequest, record: JobRecord, into folder: String, masker: SecretMasker)
        -> Collected
    {
        log.calls.append("collect")
        switch failing {
        case .artifactsTooBig:
            return Collected(
                archive: nil, milliseconds: 1,
                failure: JobError(
                    .artifactsRejected, "fake: the artifacts hold 9 bytes, 1 over.", rule: .key(.artifactsMaxBytes)))
        case .artifactSecret:
            return Collected(
                archive: nil, milliseconds: 1,
                failure: JobError(
                    .artifactsRejected, "fake: leak.txt holds a secret.", rule: .key(.artifactsScanSecrets)))
        case .outputFull:
            return Collected(
                archive: nil, milliseconds: 1,
                failure: JobError(.outputError, "Cannot archive the artifacts: cannot write: No space left on device"))
        default:
            break
        }
        let archive = folder + "/artifacts.tar.gz"
        try? FileSystem.writeAtomically(Array("fake archive".utf8), to: archive, mode: 0o644)
        let summary = ArchiveSummary(
            path: archive, bytes: 12, sha256: String(repeating: "c", count: 64), entries: 1, skipped: [])
        if failing == .provenance {
            return Collected(
                archive: summary, milliseconds: 1,
                failure: JobError(.outputError, "Cannot write provenance.json: fake."))
        }
        return Collected(archive: summary, milliseconds: 1, failure: nil)
    }
}
