import Foundation
import TestSupport
import Testing

/// How the tests make each containment mode happen on this host, where the
/// agent can always make a PID namespace.
enum ContainmentMode: String, CaseIterable, CustomStringConvertible, Sendable {
    /// A PID namespace (a user namespace too for a non-root agent): the default here.
    case pidNamespace = "pid_namespace"
    /// The agent as PID 1 of a PID namespace `unshare` made, with an IPC
    /// namespace and a `/dev/shm` of its own, unable to make namespaces
    /// itself: a container with the default seccomp profile.
    case containerInit = "container_init"
    /// No namespace possible and not PID 1: the walk of `/proc`.
    case processWalk = "process_walk"

    var description: String { rawValue }

    /// What goes in front of the agent (and of `setpriv` for a non-root agent).
    func launcher(nonRoot: Bool) -> [String] {
        let user = nonRoot ? AgentWorld.nonRootLauncher : []
        switch self {
        case .pidNamespace: return user
        case .containerInit:
            return ["/usr/bin/unshare", "--pid", "--ipc", "--fork", "--mount-proc", "--kill-child", "--"]
                + [
                    "/bin/sh", "-c",
                    #"mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev,noexec shm /dev/shm && exec "$@""#, "sh",
                ]
                + user + AgentWorld.withoutNamespaces
        case .processWalk: return user + AgentWorld.withoutNamespaces
        }
    }
}

extension AgentWorld {
    /// Runs the rest of argv under a seccomp filter that refuses what
    /// Docker's default profile refuses a process without CAP_SYS_ADMIN:
    /// `clone` and `unshare` with a namespace flag and `setns` (EPERM),
    /// `clone3` (ENOSYS, so that libc falls back to `clone`). x86_64.
    static let withoutNamespaces: [String] = [
        "/usr/bin/python3", "-c",
        """
        import ctypes, os, struct, sys
        ins = lambda code, jt, jf, k: struct.pack("HBBI", code, jt, jf, k)
        NS = 0x7E020000  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET
        prog = b"".join([
            ins(0x20, 0, 0, 0),                 # 0: ld nr
            ins(0x15, 6, 0, 435),               # 1: clone3 -> 8
            ins(0x15, 4, 0, 308),               # 2: setns -> 7
            ins(0x15, 1, 0, 56),                # 3: clone -> 5
            ins(0x15, 0, 4, 272),               # 4: unshare -> 5, else 9
            ins(0x20, 0, 0, 16),                # 5: ld args[0] (low 32 bits)
            ins(0x45, 0, 2, NS),                # 6: jset NS -> 7, else 9
            ins(0x06, 0, 0, 0x00050000 | 1),    # 7: ERRNO(EPERM)
            ins(0x06, 0, 0, 0x00050000 | 38),   # 8: ERRNO(ENOSYS)
            ins(0x06, 0, 0, 0x7fff0000),        # 9: ALLOW
        ])
        buf = ctypes.create_string_buffer(prog)
        fprog = struct.pack("HxxxxxxQ", len(prog) // 8, ctypes.addressof(buf))
        fbuf = ctypes.create_string_buffer(fprog)
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, fbuf, 0, 0) != 0:
            sys.exit("seccomp: errno %d" % ctypes.get_errno())
        os.execv(sys.argv[1], sys.argv[1:])
        """,
    ]

    /// Threads (of any process) whose environment holds `JOB_ID=<jobID>`:
    /// each thread is looked at, so a thread-group leader that exited while
    /// its other threads run (its own `environ` reads empty) is found too.
    static func threads(ofJob jobID: String) -> [String] {
        let needle = Array("JOB_ID=\(jobID)\0".utf8)
        var found: [String] = []
        for pid in ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []) where Int32(pid) != nil {
            for tid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/task/\(tid)/environ") else {
                    continue
                }
                if contains([UInt8](data), needle) { found.append("\(pid)/\(tid)") }
            }
        }
        return found
    }

    /// Whether any thread of the job is alive at any of the checks made for
    /// `seconds` (every 50 ms): a survivor shows up within that time.
    static func survivors(ofJob jobID: String, during seconds: Double = 1) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let found = threads(ofJob: jobID)
            if !found.isEmpty { return found }
            usleep(50_000)
        } while Date() < deadline
        return []
    }

    /// The host pid of the agent running `jobID` (the topmost `sf-agent`
    /// process carrying the job; a PID namespace's init is its child).
    static func agentProcess(ofJob jobID: String) -> Int32? {
        let needle = Array("JOB_ID=\(jobID)\0".utf8)
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
            .filter {
                pid in
                guard
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"))?.hasSuffix(
                        "/sf-agent") == true,
                    let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
                else { return false }
                return contains([UInt8](data), needle)
            }
        return candidates.first { pid in !candidates.contains(parent(of: pid) ?? 0) }
    }

    /// The pids of `sf-agent fetch-worker` processes whose parent is `agent`.
    static func fetchWorkers(of agent: Int32) -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init).filter { pid in
            guard parent(of: pid) == agent, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            return String(decoding: data, as: UTF8.self).contains("fetch-worker")
        }
    }

    /// Whether `pid` exists and is not a zombie (a killed process whose
    /// new parent has not reaped it yet is not running).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return false }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        let state = text[text.index(after: close)...].dropFirst().first
        return state != "Z" && state != "X"
    }

    static func parent(of pid: Int32) -> Int32? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    private static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in
            (start == 0 || bytes[start - 1] == 0) && bytes[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
