import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Every process of one job, as its ``Containment`` lets the agent reach
/// them: how to signal them all, and whether any is left.
struct JobProcesses {
    /// The agent's child: the job's main process, or its PID namespace's init.
    let pid: pid_t
    let containment: Containment
    /// The child was reaped: its pid may belong to another process now, so
    /// it is never signalled again.
    var childReaped = false

    /// Signals every process of the job.
    func signal(_ signal: Int32) {
        switch containment {
        case .pidNamespace:
            // The init passes SIGTERM on to the whole namespace; its death
            // by SIGKILL makes the kernel kill every other process in it.
            if !childReaped { system_kill(pid, signal) }
        case .containerInit:
            // Every process of the container but the agent (PID 1).
            system_kill(-1, signal)
        case .processWalk:
            if !childReaped { system_kill(-pid, signal) }
            Descendants.signalAll(signal)
        case .processGroup:
            system_kill(-pid, signal)
        }
    }

    /// Whether nothing of the job is left, once its main process ended.
    /// Each answer comes from the kernel at once, never from a walk that a
    /// process forking as it goes could outrun.
    func areGone() -> Bool {
        switch containment {
        case .pidNamespace:
            // The init exits only when the namespace is empty; its death empties it.
            return childReaped
        case .containerInit:
            // No process the agent may signal is left (zombies count until reaped).
            return system_kill(-1, 0) != 0 && (currentErrno() == ESRCH || currentErrno() == EPERM)
        case .processWalk:
            // Every job process descends from the agent, a subreaper.
            return childReaped && !ChildTracker.hasChildren()
        case .processGroup:
            return system_kill(-pid, 0) != 0 && currentErrno() == ESRCH
        }
    }
}
