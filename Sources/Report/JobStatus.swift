/// How a job ended, as `result.json` says it.
package enum JobStatus: String, Sendable, Codable, CaseIterable {
    /// The script ran and exited 0.
    case succeeded
    /// The script ran and exited non-zero or died of a signal.
    case failed
    /// The script outlived `run.timeout` and was stopped.
    case timedOut = "timed_out"
    /// The agent was told to stop (SIGTERM, SIGINT, SIGHUP) and stopped the script.
    case cancelled
    /// Input or policy refused the job; nothing ran.
    case rejected
    /// The shared cache stayed locked by another agent for `cache.lock_timeout`; nothing ran, retry later.
    case busy
    /// Another agent was already running a job with this `JOB_ID`; this one
    /// ran nothing and left that job's files alone.
    case duplicate
    /// The agent could not do its part (configuration, source, launch, output).
    case error
}
