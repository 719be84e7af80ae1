import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// The agent's living descendants outside its own session, found through
/// `/proc/<pid>/task/<tid>/children`: every job process, including those
/// that called `setsid()` or double-forked (orphans are reparented to the
/// agent, a child subreaper, so they stay descendants).
enum Descendants {
    /// The pids of living (not zombie) descendants not in the agent's
    /// session. Processes in the agent's session, and what lies below them,
    /// are the caller's own and are left out.
    static func outsideOwnSession() -> [pid_t] {
        let ownSession = getsid(0)
        var found: [pid_t] = []
        var queue = children(of: "self")
        var seen: Set<pid_t> = []
        while let pid = queue.popLast() {
            guard seen.insert(pid).inserted, let stat = status(of: pid) else { continue }
            if stat.session == ownSession || stat.state == "Z" || stat.state == "X" { continue }
            found.append(pid)
            queue += children(of: String(pid))
        }
        return found
    }

    /// Sends `signal` to every descendant ``outsideOwnSession()`` finds;
    /// returns how many there were.
    @discardableResult
    static func signalAll(_ signal: Int32) -> Int {
        let pids = outsideOwnSession()
        for pid in pids { kill(pid, signal) }
        return pids.count
    }

    /// State and session from `/proc/<pid>/stat` (the fields after the
    /// command name, which may itself hold spaces and parentheses).
    private static func status(of pid: pid_t) -> (state: Character, session: pid_t)? {
        guard let bytes = try? FileSystem.readFile("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // state ppid pgrp session ...
        guard fields.count > 3, let state = fields[0].first, let session = pid_t(fields[3]) else { return nil }
        return (state, session)
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
