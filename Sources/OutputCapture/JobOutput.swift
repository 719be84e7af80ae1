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
/// tail are kept with a marker. `combined.log` is written by a thread of
/// its own (``CombinedLog``) while the caller writes the stream's own log
/// and reads on. The console copy never blocks the job
/// (see ``ConsoleWriter``): a console that is slow loses part of its copy,
/// one that is closed loses all of it, never the logs. The agent must
/// ignore `SIGPIPE` (``AgentSignals`` does). Use it from one thread.
package final class JobOutput: OutputSink {
    /// The log files' paths.
    package let logPaths: [OutputStreamKind: String]
    /// The combined log's path.
    package let combinedPath: String
    /// Bytes of each stream written so far.
    package private(set) var bytesWritten: [OutputStreamKind: Int] = [.stdout: 0, .stderr: 0]
    /// The first failure writing a log file (the disk filled up, say);
    /// `combined.log`'s is known once the output is closed.
    package var logError: SystemError? {
        (logs.values.compactMap(\.error) + (summaries ?? []).compactMap(\.error)).first
    }

    private let options: OutputOptions
    private var logs: [OutputStreamKind: CappedLog]
    private let combined: CombinedLog
    /// The console's lines, in the `timestamped` and `json` formats.
    private var lines: [OutputStreamKind: LineSplitter] = [.stdout: LineSplitter(), .stderr: LineSplitter()]
    private var consoles: [OutputStreamKind: ConsoleWriter]
    private var summaries: [LogSummary]?
    private var consolePending: [UInt8] = []

    /// Creates (or truncates) the logs, mode 0644, in `logDirectory`, which
    /// is created (0755) if missing.
    package convenience init(logDirectory: String, options: OutputOptions = OutputOptions()) throws(SystemError) {
        try self.init(
            logDirectory: logDirectory, options: options,
            consoleDescriptors: options.console ? [.stdout: STDOUT_FILENO, .stderr: STDERR_FILENO] : [:])
    }

    /// Like ``init(logDirectory:options:)``, plain, with or without the console copy.
    package convenience init(logDirectory: String, console: Bool) throws(SystemError) {
        try self.init(logDirectory: logDirectory, options: OutputOptions(console: console))
    }

    /// The console copy goes to `consoleDescriptors` (owned by the caller);
    /// in the `json` format both streams go to the stdout descriptor.
    /// `threaded: false` writes `combined.log` on the caller's thread.
    init(
        logDirectory: String, options: OutputOptions = OutputOptions(), consoleDescriptors: [OutputStreamKind: Int32],
        threaded: Bool = true
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
        combined = try CombinedLog(path: combinedPath, maximumBytes: options.maximumLogBytes, threaded: threaded)
        self.logs = logs
        self.logPaths = paths
        self.options = options
        var consoles: [OutputStreamKind: ConsoleWriter] = [:]
        for (stream, fd) in consoleDescriptors { consoles[stream] = ConsoleWriter(fd: fd) }
        if options.format == .json, let out = consoles[.stdout] { consoles[.stderr] = out }
        self.consoles = consoles
    }

    /// `combined.log`'s descriptor, for tests that swap in a failing one before the first write.
    var combinedDescriptorForTesting: Int32 { combined.descriptorForTesting }

    /// Appends `chunk` to its stream's log and to the combined log, and
    /// copies it to the console.
    package func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind) {
        guard !chunk.isEmpty, summaries == nil else { return }
        // Every line of one chunk arrived at the same time.
        let time = Timestamp.now().rfc3339
        combined.write(chunk, from: stream, time: time)
        logs[stream]?.write(chunk)
        bytesWritten[stream, default: 0] += chunk.count
        if options.format == .plain {
            consoles[stream]?.write(chunk)
            return
        }
        let stamp = Array("\(time) ".utf8)
        lines[stream]?.feed(chunk) { line in append(line, of: stream, time: time, stamp: stamp) }
        forwardLines(of: stream)
    }

    /// Adds one line to the console's pending bytes; `stamp` is `"<time> "`.
    private func append(_ line: UnsafeRawBufferPointer, of stream: OutputStreamKind, time: String, stamp: [UInt8]) {
        switch options.format {
        case .plain: break
        case .timestamped:
            consolePending.append(contentsOf: stamp)
            consolePending.append(contentsOf: line)
        case .json:
            consolePending.append(contentsOf: options.format.render(line: line, stream: stream, time: time))
        }
    }

    private func forwardLines(of stream: OutputStreamKind) {
        if !consolePending.isEmpty { consolePending.withUnsafeBytes { consoles[stream]?.write($0) } }
        consolePending.removeAll(keepingCapacity: true)
    }

    /// Finishes unfinished lines, closes the logs and flushes the console
    /// (waiting a few seconds at most). Later writes are ignored. Idempotent.
    @discardableResult
    package func close() -> [LogSummary] {
        if let summaries { return summaries }
        let time = Timestamp.now().rfc3339
        let combinedSummary = combined.close(time: time)
        let stamp = Array("\(time) ".utf8)
        for stream in OutputStreamKind.allCases {
            lines[stream]?.flush { line in append(line, of: stream, time: time, stamp: stamp) }
            forwardLines(of: stream)
        }
        var result = OutputStreamKind.allCases.compactMap { logs[$0]?.close() }
        result.append(combinedSummary)
        for console in Set(consoles.values.map(ObjectIdentifier.init)) {
            consoles.values.first { ObjectIdentifier($0) == console }?.finish()
        }
        summaries = result
        return result
    }
}
