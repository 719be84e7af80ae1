import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// A job's output: `stdout.log` and `stderr.log` in the job's output
/// folder, and optionally a copy on the agent's own stdout and stderr.
///
/// ```swift
/// let output = try JobOutput(logDirectory: "/output/job-1")
/// let outcome = try Supervisor.run(plan, output: output)
/// output.close()
/// print(output.bytesWritten[.stdout, default: 0])
/// ```
///
/// The console copy is best effort: a console that is closed (`EPIPE`) or
/// full (`EAGAIN`) loses its copy, never the log. The agent must ignore
/// `SIGPIPE` (``AgentSignals`` does) or a closed console would kill it.
/// Use it from one thread.
public final class JobOutput: OutputSink {
    /// The log files' paths.
    public let logPaths: [OutputStreamKind: String]
    /// Bytes of each stream written to its log so far.
    public private(set) var bytesWritten: [OutputStreamKind: Int] = [.stdout: 0, .stderr: 0]
    /// The first failure writing a log file (the disk filled up, say). The
    /// log of that stream is not written after it; report it as truncated.
    public private(set) var logError: SystemError?

    private var logDescriptors: [OutputStreamKind: Int32]
    private var consoleDescriptors: [OutputStreamKind: Int32]

    /// Creates (or truncates) `stdout.log` and `stderr.log`, mode 0640, in
    /// `logDirectory`, which is created if missing.
    ///
    /// - Parameter console: also copy each chunk to the agent's fd 1 or 2.
    public convenience init(logDirectory: String, console: Bool = true) throws(SystemError) {
        try self.init(
            logDirectory: logDirectory,
            consoleDescriptors: console ? [.stdout: STDOUT_FILENO, .stderr: STDERR_FILENO] : [:]
        )
    }

    /// Like the public initializer, with the console copy going to
    /// `consoleDescriptors` (which stay owned by the caller).
    init(logDirectory: String, consoleDescriptors: [OutputStreamKind: Int32]) throws(SystemError) {
        try FileSystem.makeDirectories(logDirectory, mode: 0o750)
        var paths: [OutputStreamKind: String] = [:]
        var descriptors: [OutputStreamKind: Int32] = [:]
        for stream in OutputStreamKind.allCases {
            let path = Path.join(logDirectory, "\(stream.rawValue).log")
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o640)
            guard fd >= 0 else {
                let error = SystemError.last("create", path: path)
                for open in descriptors.values { Glibc.close(open) }
                throw error
            }
            descriptors[stream] = fd
            paths[stream] = path
            guard fchmod(fd, 0o640) == 0 else {
                let error = SystemError.last("change the mode of", path: path)
                for open in descriptors.values { Glibc.close(open) }
                throw error
            }
        }
        self.logPaths = paths
        self.logDescriptors = descriptors
        self.consoleDescriptors = consoleDescriptors
    }

    deinit {
        for fd in logDescriptors.values { Glibc.close(fd) }
    }

    /// Appends `chunk` to the stream's log and copies it to the console.
    public func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind) {
        guard !chunk.isEmpty else { return }
        if let fd = logDescriptors[stream], let path = logPaths[stream] {
            do {
                try FileSystem.writeAll(fd, chunk, path: path)
                bytesWritten[stream, default: 0] += chunk.count
            } catch {
                if logError == nil { logError = error }
                Glibc.close(fd)
                logDescriptors[stream] = nil
            }
        }
        if let console = consoleDescriptors[stream], !copyToConsole(console, chunk) {
            consoleDescriptors[stream] = nil
        }
    }

    /// Closes both logs. Later writes only reach the console. Idempotent.
    public func close() {
        for fd in logDescriptors.values { Glibc.close(fd) }
        logDescriptors = [:]
    }

    /// Writes `chunk` to the console; `false` when the console is gone for good.
    private func copyToConsole(_ fd: Int32, _ chunk: UnsafeRawBufferPointer) -> Bool {
        guard let base = chunk.baseAddress else { return true }
        var offset = 0
        while offset < chunk.count {
            let written = Glibc.write(fd, base + offset, chunk.count - offset)
            if written >= 0 {
                offset += written
                continue
            }
            switch currentErrno() {
            case EINTR: continue
            case EAGAIN: return true  // full: drop this chunk's copy, keep the console
            default: return false  // EPIPE and the rest: the log only from now on
            }
        }
        return true
    }
}
