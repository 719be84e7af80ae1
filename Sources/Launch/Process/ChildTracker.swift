import AgentSystem
import CAgentSupport
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The agent's bookkeeping of its children: which pids belong to a running
/// ``Supervisor/run(_:output:)`` (only that run may reap them) and the sweep
/// that reaps orphans (they come to the agent once it is a subreaper:
/// ``Supervisor/adoptOrphans()``).
enum ChildTracker {
    private struct State {
        var active: Set<pid_t> = []
    }

    private static let state = Mutex(State())

    /// Spawns with `memory` and registers the child in one critical
    /// section, so no concurrent sweep can reap it before its run does.
    static func spawn(_ memory: SpawnMemory, pipes: JobPipes) -> Result<SpawnedJob, LaunchError> {
        state.withLock { state in
            let result = memory.spawn(
                stdin: pipes.devNull,
                stdout: pipes.writeEnds[.stdout] ?? -1,
                stderr: pipes.writeEnds[.stderr] ?? -1
            )
            if case .success(let job) = result { state.active.insert(job.pid) }
            return result
        }
    }

    /// Forgets `pid` once its run has reaped it.
    static func finished(_ pid: pid_t) {
        state.withLock { _ = $0.active.remove(pid) }
    }

    /// Reaps every exited child that is a job's leftover: not registered
    /// with a running run and not in the agent's own session (every job
    /// starts a session of its own, so its descendants are never in ours,
    /// while children other code in the agent starts normally are). As
    /// PID 1 (a container's init), every exited child not registered with a
    /// run is reaped, whatever its session: all orphans of the container
    /// land here.
    static func reapOrphans() {
        state.withLock { state in
            let ownSession = getsid(0)
            let isInit = ProcessIdentity.processID == 1
            for pid in Descendants.children(of: "self") where !state.active.contains(pid) {
                let session = getsid(pid)
                guard isInit || (session >= 0 && session != ownSession) else { continue }
                var status: Int32 = 0
                _ = system_waitpid(pid, &status, WNOHANG)
            }
        }
    }

    /// Whether the agent has any child left, running or not yet reaped.
    /// Every process of a job descends from the agent (a subreaper: an
    /// orphan goes to its nearest living ancestor), so in an agent whose
    /// only children are the job's, `false` means nothing of the job is
    /// left. Unlike a walk of `/proc`, the kernel answers this at once.
    static func hasChildren() -> Bool {
        sf_has_children() != 0
    }
}
