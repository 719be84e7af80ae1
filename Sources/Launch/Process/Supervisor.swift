import CAgentSupport
import OutputCapture

/// Runs one job's process to its end and reports how it ended.
///
/// ```swift
/// let output = try JobOutput(logDirectory: "/output/job-1")
/// let outcome = try Supervisor.run(plan, output: output)
/// // RunOutcome(termination: .exited(0), timedOut: false, cancelled: false, duration: …)
/// ```
///
/// The job starts in a session and process group of its own, with
/// `/dev/null` as stdin, a pipe each for stdout and stderr and no other
/// descriptor, as ``LaunchPlan/user`` if set, with no core dumps,
/// `no_new_privs`, and `SIGKILL` if the agent dies; with a
/// ``LaunchPlan/sandbox``, also in a network namespace, under rlimits, a
/// Landlock ruleset and the seccomp filter. One thread polls its
/// pipes, its pidfd and the agent's signal latch: output goes to `output`
/// chunk by chunk as it is read. At ``LaunchPlan/timeout`` (or on
/// `SIGTERM`, `SIGINT`, `SIGHUP` to the agent, after
/// ``AgentSignals/install()``) the group gets `SIGTERM`, then `SIGKILL`
/// after ``LaunchPlan/killGrace``. When the job's main process exits, what
/// is left of the job gets the same treatment, as far as its
/// ``LaunchPlan/containment`` reaches (see ``Containment``): in a PID
/// namespace the whole namespace; as a container's init, every other
/// process; by walking `/proc`, every descendant outside the agent's
/// session until the agent has no child left; otherwise the process group,
/// with the pipes drained for at most 2 more seconds. `run` returns only
/// when that is done.
///
/// The calling thread must stay alive until `run` returns (the child's
/// parent-death signal follows the thread that forked it), and other code
/// in the agent must not reap children with `waitpid(-1, …)`.
package enum Supervisor {
    /// Makes the agent a child subreaper, so that processes a job orphans
    /// (double forks, `setsid` daemons) are reparented to the agent instead
    /// of init, where it can reap and kill them. Process-wide: call it once
    /// at agent start, never in a process that runs other code's children
    /// (such as a test runner). Returns whether the kernel allowed it.
    @discardableResult
    package static func adoptOrphans() -> Bool {
        sf_set_child_subreaper() == 0
    }

    /// Launches `plan`, streams its output to `output`, and waits for it.
    ///
    /// - Throws: ``LaunchError`` when the plan is invalid or the process
    ///   could not be started (the sentence names the failed step), or when
    ///   watching it failed (it has then been killed).
    package static func run(_ plan: LaunchPlan, output: some OutputSink) throws(LaunchError) -> RunOutcome {
        let memory = try SpawnMemory(plan)
        let pipes = try JobPipes(executable: plan.executable)
        ChildTracker.reapOrphans()
        let job = try ChildTracker.spawn(memory, pipes: pipes).get()
        defer {
            ChildTracker.finished(job.pid)
            ChildTracker.reapOrphans()
        }
        pipes.closeChildEnds()
        return try JobWatch(job: job, plan: plan, pipes: pipes).run(output: output)
    }
}
