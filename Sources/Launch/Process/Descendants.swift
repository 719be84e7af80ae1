import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// The agent's descendants outside its own session, found through
/// `/proc/<pid>/task/<tid>/children`: every job process, including those
/// that called `setsid()` or double-forked (orphans are reparented to the
/// agent, a child subreaper, so they stay descendants). The last resort of
/// ``Containment/processWalk``; a single walk can miss a process that forks
/// and exits while it reads, so callers repeat it until the agent has no
/// child left (``ChildTracker/hasJobChildren()``).
enum Descendants {
    /// Sends `signal` to every descendant outside the agent's session,
    /// zombies included: a thread-group leader that called `pthread_exit`
    /// shows `Z` while its other threads run, and a signal to it reaches
    /// them. Each process is signalled through a pidfd opened before it is
    /// checked to descend from the agent, so a pid reused by an unrelated
    /// process in the meantime is never signalled. Returns how many were
    /// signalled.
    @discardableResult
    static func signalAll(_ signal: Int32) -> Int {
        let agent = ProcessIdentity.processID
        let ownSession = getsid(0)
        var signalled = 0
        for pid in outsideOwnSession() {
            let pidfd = sf_pidfd_open(pid)
            guard pidfd >= 0 else { continue }
            defer { system_close(pidfd) }
            guard descends(pid, from: agent, outside: ownSession) else { continue }
            if sf_pidfd_send_signal(pidfd, signal) == 0 { signalled += 1 }
        }
        return signalled
    }

    /// The pids of every descendant (zombies included) not in the agent's
    /// session. Processes in the agent's session, and what lies below them,
    /// are the caller's own and are left out.
    static func outsideOwnSession() -> [pid_t] {
        let ownSession = getsid(0)
        var found: [pid_t] = []
        var queue = children(of: "self")
        var seen: Set<pid_t> = []
        while let pid = queue.popLast() {
            guard seen.insert(pid).inserted, let stat = status(of: pid), stat.session != ownSession else { continue }
            found.append(pid)
            // Every thread's children: a zombie leader's live threads keep theirs.
            queue += children(of: String(pid))
        }
        return found
    }

    /// Whether `pid` is (still) a descendant of `agent` outside its session:
    /// its parent chain reaches the agent.
    private static func descends(_ pid: pid_t, from agent: pid_t, outside ownSession: pid_t) -> Bool {
        var current = pid
        for _ in 0..<4096 {
            guard let stat = status(of: current) else { return false }
            if current == pid && stat.session == ownSession { return false }
            if stat.parent == agent { return true }
            if stat.parent <= 1 { return false }
            current = stat.parent
        }
        return false
    }

    /// Parent and session from `/proc/<pid>/stat` (the fields after the
    /// command name, which may itself hold spaces and parentheses).
    private static func status(of pid: pid_t) -> (parent: pid_t, session: pid_t)? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // state ppid pgrp session ...
        guard fields.count > 3, let parent = pid_t(fields[1]), let session = pid_t(fields[3]) else { return nil }
        return (parent, session)
    }

    /// The children of every thread of `/proc/<process>`.
    static func children(of process: String) -> [pid_t] {
        guard let threads = try? FileSystem.directoryEntries("/proc/\(process)/task") else { return [] }
        var pids: [pid_t] = []
        for thread in threads {
            guard let bytes = try? FileSystem.readFile("/proc/\(process)/task/\(thread)/children") else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            pids += text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
        }
        return pids
    }
}
