import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Short-lived helper programs the agent starts itself (the fetch worker,
/// `ssh-keygen`, `gpgv`): an argv (never a shell), an explicit minimal
/// environment, a clean signal mask and default dispositions, and a
/// deadline after which the child is killed.
///
/// ```swift
/// let outcome = try HelperProcess.run(
///     "/usr/bin/ssh-keygen", arguments: ["-Y", "find-principals", "-s", sig, "-f", signers],
///     timeout: .seconds(30))
/// outcome.exitCode   // 0
/// ```
package enum HelperProcess {
    /// The environment helpers get: nothing of the agent's own.
    package static let minimalEnvironment = ["LC_ALL=C", "PATH=/usr/bin:/bin", "HOME=/nonexistent"]

    /// What a helper run by ``run(_:arguments:environment:stdinFile:timeout:)`` did.
    package struct Outcome: Sendable {
        /// The raw wait status (0 when killed at the deadline and not reaped cleanly).
        package var waitStatus: Int32
        package var stdout: [UInt8]
        package var stderr: [UInt8]
        /// The helper outlived its timeout and was killed.
        package var timedOut: Bool

        /// The exit code when the helper exited normally, else nil.
        package var exitCode: Int32? {
            (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : nil
        }

        /// stdout as text (invalid UTF-8 repaired).
        package var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        /// stderr as text, trimmed of surrounding newlines.
        package var stderrText: String {
            var text = Substring(String(decoding: stderr, as: UTF8.self))
            while text.last?.isNewline == true { text = text.dropLast() }
            while text.first?.isNewline == true { text = text.dropFirst() }
            return String(text)
        }
    }

    /// Runs `executable` to completion with stdin read from `stdinFile`
    /// (or `/dev/null`), capturing stdout and stderr; kills it with SIGKILL at `timeout`.
    package static func run(
        _ executable: String, arguments: [String], environment: [String] = minimalEnvironment,
        stdinFile: String? = nil, timeout: Duration
    ) throws(SystemError) -> Outcome {
        let input = system_open(stdinFile ?? "/dev/null", O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .last("open", path: stdinFile ?? "/dev/null") }
        defer { system_close(input) }
        let output = try makePipe()
        let errors: [Int32]
        do throws(SystemError) { errors = try makePipe() } catch {
            system_close(output[0])
            system_close(output[1])
            throw error
        }
        let pid: pid_t
        do throws(SystemError) {
            pid = try spawn(
                executable, arguments: [executable] + arguments, environment: environment,
                stdin: input, stdout: output[1], stderr: errors[1])
        } catch {
            for fd in output + errors { system_close(fd) }
            throw error
        }
        system_close(output[1])
        system_close(errors[1])
        let deadline = ContinuousClock.now + timeout
        let streams = readAll([output[0], errors[0]], until: deadline)
        system_close(output[0])
        system_close(errors[0])
        // A helper may close its output and still run: the deadline holds until it exits.
        var timedOut = streams.ending == .timedOut
        var status: Int32 = 0
        while !timedOut {
            let waited = system_waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited < 0 && currentErrno() != EINTR) {
                return Outcome(waitStatus: status, stdout: streams.bytes[0], stderr: streams.bytes[1], timedOut: false)
            }
            if ContinuousClock.now >= deadline { timedOut = true } else { system_usleep(10_000) }
        }
        system_kill(pid, SIGKILL)
        status = reap(pid)
        return Outcome(waitStatus: status, stdout: streams.bytes[0], stderr: streams.bytes[1], timedOut: true)
    }

    /// A pipe whose both ends close on exec (the child gets only what `spawn` dup2s).
    package static func makePipe() throws(SystemError) -> [Int32] {
        var fds: [Int32] = [-1, -1]
        // pipe2(O_CLOEXEC): no window for another thread's exec.
        guard sf_pipe_cloexec(&fds) == 0 else { throw .last("pipe") }
        return fds
    }

    /// Starts `executable` with an empty signal mask and default
    /// dispositions (the agent ignores SIGPIPE and latches SIGTERM; a helper
    /// must not inherit that), 0, 1, 2 from the arguments and no other
    /// descriptor, no core dumps, `no_new_privs`, and SIGKILL when the agent
    /// dies: a fetch worker must never go on writing the shared cache, nor a
    /// signature tool run on, after the agent that started it was killed.
    /// The parent-death signal follows the thread that starts the helper,
    /// which must outlive it (every caller waits for its helper). The helper
    /// stays in the agent's session. `arguments` includes argv[0]; `stderr`
    /// nil leaves the agent's own.
    package static func spawn(
        _ executable: String, arguments: [String], environment: [String] = minimalEnvironment,
        stdin: Int32, stdout: Int32, stderr: Int32? = nil
    ) throws(SystemError) -> pid_t {
        let strings = [executable] + arguments + environment
        guard strings.allSatisfy({ !$0.utf8.contains(0) }) else {
            throw SystemError(operation: "spawn", path: executable, errno: EINVAL)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { system_strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { system_strdup($0) } + [nil]
        defer { for pointer in argv + envp { system_free(pointer) } }
        guard !argv.dropLast().contains(nil), !envp.dropLast().contains(nil) else {
            throw SystemError(operation: "spawn", path: executable, errno: ENOMEM)
        }
        var result = sf_spawn_result()
        let status = executable.withCString { path in
            argv.withUnsafeBufferPointer { argv in
                envp.withUnsafeBufferPointer { envp in
                    var request = sf_spawn_request()
                    request.path = path
                    request.argv = argv.baseAddress
                    request.envp = envp.baseAddress
                    request.working_directory = nil
                    request.stdin_fd = stdin
                    request.stdout_fd = stdout
                    request.stderr_fd = stderr ?? 2
                    request.landlock_ruleset_fd = -1
                    return sf_spawn(&request, &result)
                }
            }
        }
        guard status == 0 else {
            throw SystemError(operation: "spawn", path: executable, errno: result.failure.error)
        }
        return result.pid
    }

    /// How ``readAll(_:until:stop:)`` ended.
    package enum ReadEnding: Sendable, Equatable {
        /// End of file on every descriptor.
        case finished
        /// The deadline passed first.
        case timedOut
        /// The stop notice fired first.
        case stopped
    }

    /// Everything each of `fds` yields until end of file on all of them, or
    /// what came before the deadline or before `stop` fired.
    package static func readAll(
        _ fds: [Int32], until deadline: ContinuousClock.Instant, stop: StopNotice = .never
    ) -> (bytes: [[UInt8]], ending: ReadEnding) {
        var bytes = [[UInt8]](repeating: [], count: fds.count)
        var open = Array(fds.indices)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while !open.isEmpty {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return (bytes, .timedOut) }
            // The stop descriptor last; a negative fd is ignored by poll.
            var pollers =
                open.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
                + [pollfd(fd: stop.descriptor ?? -1, events: Int16(POLLIN), revents: 0)]
            let ready = system_poll(&pollers, nfds_t(pollers.count), Int32(min(remaining.milliseconds + 1, 60_000)))
            if ready < 0 && currentErrno() != EINTR { return (bytes, .timedOut) }  // poll itself failed: give up
            if ready <= 0 { continue }  // EINTR or nothing yet: look at the deadline again.
            if pollers[open.count].revents != 0 { return (bytes, .stopped) }
            var finished: [Int] = []
            for (slot, index) in open.enumerated() where pollers[slot].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { system_read(fds[index], $0.baseAddress, $0.count) }
                if count < 0 && currentErrno() == EINTR { continue }
                if count <= 0 {
                    finished.append(index)
                    continue
                }
                bytes[index].append(contentsOf: buffer[0..<count])
            }
            open.removeAll { finished.contains($0) }
        }
        return (bytes, .finished)
    }

    /// Waits for `pid` and returns its raw wait status.
    package static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while system_waitpid(pid, &status, 0) < 0 && currentErrno() == EINTR {}
        return status
    }
}
