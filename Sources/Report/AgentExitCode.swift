/// The agent's exit codes besides the script's own.
///
/// When the script ran to completion the agent exits with the script's code,
/// or 128+N when it died of signal N. The codes below say what else happened;
/// `result.json` always disambiguates (a script may exit 77 too).
package enum AgentExitCode: Int32, Sendable, CaseIterable {
    /// The command line was wrong (swift-argument-parser's usage code).
    case usage = 64
    /// The fetch or checkout failed (EX_UNAVAILABLE).
    case sourceError = 69
    /// A bug or an unexpected system failure (EX_SOFTWARE).
    case internalError = 70
    /// The script could not be started: interpreter, user switch, sandbox (EX_OSERR).
    case launchError = 71
    /// The job's output (logs, artifacts, result) could not be written (EX_IOERR).
    case outputError = 74
    /// Another agent is running a job with this `JOB_ID` (it holds the
    /// job's lock in `output.dir`); this one ran nothing and touched none
    /// of that job's files (EX_CANTCREAT: the job's output is taken).
    case jobInProgress = 73
    /// Another agent held the shared cache's lock past `cache.lock_timeout`;
    /// nothing ran, retry later (EX_TEMPFAIL).
    case cacheBusy = 75
    /// Input or policy refused the job; nothing ran (EX_NOPERM).
    case rejected = 77
    /// The configuration is invalid (EX_CONFIG).
    case configError = 78
    /// The script outlived `run.timeout` (as `timeout(1)` does).
    case timedOut = 124
    /// The agent was stopped by a signal and stopped the script.
    case cancelled = 125
}
