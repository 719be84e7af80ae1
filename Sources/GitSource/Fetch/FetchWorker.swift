import AgentSystem
import ConfigKeys
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Runs each fetch attempt in a child process that can be killed.
///
/// libgit2 1.5 has no network timeouts: a server that accepts and then
/// never answers blocks `git_remote_fetch` forever, and so can DNS, a TLS
/// or SSH handshake. The parent (``run(_:executable:)``) therefore spawns
/// `<executable> fetch-worker` (the agent itself), sends it the request on
/// stdin (a socket, so credentials never appear in argv or the
/// environment), and reads the outcome from its stdout. At the deadline it
/// sends SIGKILL and reaps the child; a killed fetch leaves at most a
/// temporary pack file, which git ignores. The child also arms `alarm()`
/// so it cannot outlive a parent that died.
///
/// ```swift
/// // in the agent's `fetch-worker` subcommand:
/// exit(FetchWorker.serve())
/// ```
package enum FetchWorker {
    /// How long past the deadline the parent waits for the child's own clean abort.
    static let grace: Duration = .milliseconds(1500)

    /// The child side: reads a request on stdin, fetches, writes the outcome
    /// on stdout. Returns the process exit status (0 whenever an outcome was written).
    package static func serve() -> Int32 {
        // A console whose reader is gone must fail the progress writes (EPIPE), not kill the worker.
        system_signal(SIGPIPE, SIG_IGN)
        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { system_read(0, $0.baseAddress, $0.count) }
            if count < 0 && currentErrno() == EINTR { continue }
            if count < 0 { return 2 }
            if count == 0 { break }
            input.append(contentsOf: buffer[0..<count])
        }
        guard let request = try? JSONDecoder().decode(FetchRequest.self, from: Data(input)) else { return 2 }
        alarm(UInt32(max(1, request.timeoutMilliseconds / 1000 + 5)))
        let outcome = FetchSession.run(request)
        guard let bytes = try? JSONEncoder().encode(outcome) else { return 3 }
        do { try FileSystem.writeAll(1, Array(bytes), path: "stdout") } catch { return 3 }
        return 0
    }

    /// The parent side: runs `request` in `executable fetch-worker`, killing
    /// it at the deadline or as soon as `stop` fires.
    static func run(_ request: FetchRequest, executable: String, stop: StopNotice = .never) -> FetchOutcome {
        let timeout = Duration.milliseconds(request.timeoutMilliseconds)
        let deadline = ContinuousClock.now + timeout + grace
        guard let payload = try? JSONEncoder().encode(request) else {
            return failed("cannot encode the fetch request")
        }
        var input: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &input) == 0 else {
            return failed("cannot create a socket pair for the fetch worker: \(SystemError.last("socketpair"))")
        }
        let output: [Int32]
        do throws(SystemError) { output = try HelperProcess.makePipe() } catch {
            system_close(input[0])
            system_close(input[1])
            return failed("cannot create a pipe for the fetch worker: \(error)")
        }
        // SSH: a HOME whose known_hosts makes libssh2 ask for a pinned host key type.
        let home = SSHAddress(request.url) == nil ? nil : request.access.sshKnownHosts.flatMap(PinnedHostKeyHome.make)
        defer { home.map(PinnedHostKeyHome.remove) }
        let pid: pid_t
        do throws(SystemError) {
            pid = try HelperProcess.spawn(
                executable, arguments: [executable, "fetch-worker"],
                environment: ["LC_ALL=C", "PATH=/usr/bin:/bin", "HOME=\(home ?? "/nonexistent")"],
                stdin: input[1], stdout: output[1])
        } catch {
            system_close(input[0])
            system_close(input[1])
            system_close(output[0])
            system_close(output[1])
            return failed("cannot start the fetch worker \(executable): \(error)")
        }
        system_close(input[1])
        system_close(output[1])
        sendAll(Array(payload), to: input[0])
        system_close(input[0])
        let (streams, ending) = HelperProcess.readAll([output[0]], until: deadline, stop: stop)
        let bytes = streams[0]
        system_close(output[0])
        if ending != .finished { system_kill(pid, SIGKILL) }
        let status = HelperProcess.reap(pid)
        if ending == .stopped { return failed("the agent was told to stop; the fetch worker was stopped") }
        let timedOut = ending == .timedOut
        if timedOut {
            let seconds = request.timeoutMilliseconds / 1000
            return FetchOutcome(
                failure: FetchFailure(
                    code: 0, errorClass: 0,
                    message:
                        "the server did not complete the fetch within \(ConfigKey.repoFetchTimeout) (\(seconds)s); the attempt was stopped",
                    timedOut: true))
        }
        guard let outcome = try? JSONDecoder().decode(FetchOutcome.self, from: Data(bytes)) else {
            return failed("the fetch worker ended without an answer (wait status \(status))")
        }
        return outcome
    }

    private static func failed(_ message: String) -> FetchOutcome {
        FetchOutcome(failure: FetchFailure(code: 0, errorClass: 0, message: message))
    }

    private static func sendAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && currentErrno() == EINTR { continue }
            if sent <= 0 { return }
            offset += sent
        }
    }
}
