/// What happened to a job's process, as ``Supervisor/run(_:output:)`` saw it.
///
/// ```swift
/// let outcome = try Supervisor.run(plan, output: output)
/// if outcome.timedOut { print("timed out after \(outcome.duration)") }
/// ```
package struct RunOutcome: Sendable, Equatable {
    /// The main process's exact exit status or signal.
    package var termination: Termination
    /// The run deadline (``LaunchPlan/timeout``) passed and the job was stopped.
    package var timedOut: Bool
    /// The agent got `SIGTERM`, `SIGINT` or `SIGHUP` and stopped the job.
    package var cancelled: Bool
    /// From launch until the main process was reaped.
    package var duration: Duration

    package init(termination: Termination, timedOut: Bool, cancelled: Bool, duration: Duration) {
        self.termination = termination
        self.timedOut = timedOut
        self.cancelled = cancelled
        self.duration = duration
    }
}
