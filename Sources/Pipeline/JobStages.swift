import Artifacts
import JobInput
import Launch
import Report
import Secrets

/// The stages of one job, in the order ``JobPipeline/run(_:)`` calls them;
/// each takes values and returns values, and none changes what an earlier
/// one decided. ``JobPipeline`` is the real implementation; PipelineTests
/// pass fakes (no git server, no root) to check the order, the cleanup
/// after each failure and the `JOB_ID` lock.
///
/// The stages before the launch throw: nothing has happened yet that the
/// result must describe. ``launch(_:secretEnvironment:logsInto:masker:)``
/// and ``collect(_:job:record:into:masker:)`` return what they did with
/// the failure, if any, inside: a script that ran must be reported even
/// when what follows fails.
protocol JobStages {
    /// Reads `secrets.dir` and the agent's credentials; builds the masker.
    func loadSecrets() throws(JobError) -> JobSecrets
    /// Policy: the script, the repository and the ref may run.
    func checkPolicy(_ job: JobRequest) throws(JobError) -> PolicyDecision
    /// Source: fetch (or reuse) the ref, verify it, check it out read-only.
    func fetchSource(_ decision: PolicyDecision) throws(JobError) -> FetchedSource
    /// Plan: everything the launch will do — script, argv, user, sandbox
    /// (with the secrets folder's rule), environment (with the secrets'
    /// variable names) — decided without writing anything. `sf-agent
    /// check` prints this plan.
    func makePlan(_ job: JobRequest, source: FetchedSource, secrets: JobSecrets) throws(JobError) -> JobPlan
    /// Ends the job here when the agent was told to stop.
    func checkStop() throws(JobError)
    /// Hands the secrets over as the plan says: writes the secrets folder
    /// (`files`) or returns the variables' values (`env`).
    func exposeSecrets(_ plan: JobPlan, secrets: JobSecrets) throws(JobError) -> [String: String]
    /// Runs the script, its output into the logs in `folder`.
    func launch(_ plan: JobPlan, secretEnvironment: [String: String], logsInto folder: String, masker: SecretMasker)
        -> Launched
    /// Archives the artifacts with their manifest, then writes the provenance.
    func collect(_ plan: JobPlan, job: JobRequest, record: JobRecord, into folder: String, masker: SecretMasker)
        -> Collected
}

/// What policy decided: the ref to fetch, and the rules passed so far.
struct PolicyDecision: Sendable, Equatable {
    var ref: String
    var passedRules: [String]
    /// `SCRIPTS_COMMIT`: the commit `ref` must resolve to, when the job gave one.
    var expectedCommit: String? = nil
}

/// What the launch stage did.
struct Launched {
    /// How the script ended; nil when it could not be started.
    var outcome: RunOutcome?
    /// `result.json`'s `logs`; nil when no log was opened.
    var logs: JobResult.Logs?
    /// Why the script could not start, or (with an outcome) why a log is incomplete.
    var failure: JobError?
}

/// What the collect stage did.
struct Collected {
    /// The published archive; nil when none was.
    var archive: ArchiveSummary?
    /// How long archiving took.
    var milliseconds: Int?
    /// Why archiving or the provenance failed.
    var failure: JobError?
}
