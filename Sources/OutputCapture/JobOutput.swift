import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// A job's output: `stdout.log`, `stderr.log` and `combined.log` (both
/// streams interleaved in arrival order, each line with its time and
/// stream) in the job's output folder, and a copy on the agent's console.
///
/// ```swift
/// let output = try JobOutput(logDirectory: "/output/job-1", options: OutputOptions(maximumLogBytes: 1 << 20))
/// let outcome = try Supervisor.run(plan, output: output)
/// let logs = output.close()   // [LogSummary] for result.json
/// ```
///
/// Each log may be capped (``OutputOptions/maximumLogBytes``): head and
/// tail are kept with a marker. The console copy never blocks the job (see
/// ``ConsoleWriter``): a console that is slow loses part of its copy, one
/// that is closed loses all of it, never the logs. The agent must ignore
/// `SIGPIPE` (``AgentSignals`` does). Use it from one thread.
public final class JobOutput: OutputSink {
    /// The log files' paths.
    public let logPaths: [OutputStreamKind: String]
    /// The combined log's path.
    public let combinedPath: String
    /// Bytes of each stream written so far.
    public private(set) var bytesWritten: [OutputStreamKind: Int] = [.stdout: 0, .stderr: 0]
    /// The first failure writing a log file (the disk filled up, say).
    public var logError: SystemError? {
        (logs.values.compactMap(\.error) + [combined.error].compactMap { $0 }).first
    }

    private let options: OutputOptions
    private var logs: [OutputStreamKind: CappedLog]
    private let combined: CappedLog
    private var lines: [OutputStreamKind: LineSplitter] = [.stdout: LineSplitter(), .stderr: LineSplitter()]
    private var consoles: [OutputStreamKind: ConsoleWriter]
    private var summaries: [LogSummary]?
    private var combinedPending: [UInt8] = []
    private var consolePending: [UInt8] = []

    /// Creates (or truncates) the logs, mode 0644, in `logDirectory`, which
    /// is created (0755) if missing.
    public convenience init(logDirectory: String, options: OutputOptions = OutputOptions()) throws(SystemError) {
        try self.init(
            logDirectory: logDirectory, options: options,
            consoleDescriptors: options.console ? [.stdout: STDOUT_FILENO, .stderr: STDERR_FILENO] : [:])
    }

    /// Like ``init(logDirectory:options:)``, plain, with or without the console copy.
    public convenience init(logDirectory: String, console: Bool) throws(SystemError) {
        try self.init(logDirectory: logDirectory, options: OutputOptions(console: console))
    }

    /// The console copy goes to `consoleDescriptors` (owned by the caller);
    /// in the `json` format both streams go to the stdout descriptor.
    init(
        logDirectory: String, options: OutputOptions = OutputOptions(), consoleDescriptors: [OutputStreamKind: Int32]
    ) throws(SystemError) {
        try FileSystem.makeDirectories(logDirectory, mode: 0o755)
        var logs: [OutputStreamKind: CappedLog] = [:]
        var paths: [OutputStreamKind: String] = [:]
        for stream in OutputStreamKind.allCases {
            let path = Path.join(logDirectory, "\(stream.rawValue).log")
            logs[stream] = try CappedLog(path: path, maximumBytes: options.maximumLogBytes)
            paths[stream] = path
        }
        combinedPath = Path.join(logDirectory, "combined.log")
        combined = try CappedLog(path: combinedPath, maximumBytes: options.maximumLogBytes)
        self.logs = logs
        self.logPaths = paths
        self.options = options
        var consoles: [OutputStreamKind: ConsoleWriter] = [:]
        for (stream, fd) in consoleDescriptors { consoles[stream] = ConsoleWriter(fd: fd) }
        if options.format == .json, let out = consoles[.stdout] { consoles[.stderr] = out }
        self.consoles = consoles
    }

    /// Appends `chunk` to its stream's log and to the combined log, and
    /// copies it to the console.
    public func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind) {
        guard !chunk.isEmpty, summaries == nil else { return }
        logs[stream]?.write(chunk)
        bytesWritten[stream, default: 0] += chunk.count
        // Every line of one chunk arrived at the same time.
        let time = Timestamp.now().rfc3339
        let prefix = Array("\(time) \(stream.rawValue) ".utf8)
        if options.format == .plain {
            // One buffer of stamped lines per chunk, not a call per line.
            let stamped = prefix.withUnsafeBytes { lines[stream]?.stamp(chunk, prefix: $0) } ?? []
            stamped.withUnsafeBytes { combined.write($0) }
            consoles[stream]?.write(chunk)
            return
        }
        lines[stream]?.feed(chunk) { line in append(line, of: stream, time: time, prefix: prefix) }
        forwardLines(of: stream)
    }

    /// Adds one line to the combined log's and the console's pending bytes.
    /// `prefix` is `"<time> <stream> "`, the combined log's line start.
    private func append(_ line: UnsafeRawBufferPointer, of stream: OutputStreamKind, time: String, prefix: [UInt8]) {
        combinedPending.append(contentsOf: prefix)
        combinedPending.append(contentsOf: line)
        switch options.format {
        case .plain: break
        case .timestamped:
            consolePending.append(contentsOf: prefix[0...24])
            consolePending.append(contentsOf: line)
        case .json:
            consolePending.append(contentsOf: options.format.render(line: line, stream: stream, time: time))
        }
    }

    private func forwardLines(of stream: OutputStreamKind) {
        if !combinedPending.isEmpty { combinedPending.withUnsafeBytes { combined.write($0) } }
        if !consolePending.isEmpty { consolePending.withUnsafeBytes { consoles[stream]?.write($0) } }
        combinedPending.removeAll(keepingCapacity: true)
        consolePending.removeAll(keepingCapacity: true)
    }

    /// Finishes unfinished lines, closes the logs and flushes the console
    /// (waiting a few seconds at most). Later writes are ignored. Idempotent.
    @discardableResult
    public func close() -> [LogSummary] {
        if let summaries { return summaries }
        let time = Timestamp.now().rfc3339
        for stream in OutputStreamKind.allCases {
            let prefix = Array("\(time) \(stream.rawValue) ".utf8)
            lines[stream]?.flush { line in append(line, of: stream, time: time, prefix: prefix) }
            forwardLines(of: stream)
        }
        var result = OutputStreamKind.allCases.compactMap { logs[$0]?.close() }
        result.append(combined.close())
        for console in Set(consoles.values.map(ObjectIdentifier.init)) {
            consoles.values.first { ObjectIdentifier($0) == console }?.finish()
        }
        summaries = result
        return result
    }
}
