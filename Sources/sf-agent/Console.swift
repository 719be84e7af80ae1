import AgentSystem
import ConfigKeys
import Pipeline
import Report

/// The agent's own lines on stderr, prefixed so they stand out from the script's output.
enum Console {
    static func error(_ message: String) {
        write("sf-agent: error: \(message)\n")
    }

    static func warning(_ message: String) {
        write("sf-agent: warning: \(message)\n")
    }

    static func info(_ message: String) {
        write("sf-agent: \(message)\n")
    }

    /// The closing summary of a job: what happened, and where its files
    /// are; a path is printed only for a file that was written.
    static func summary(_ completion: JobCompletion) {
        let result = completion.result
        guard let outputFolder = completion.folder else {
            // No folder: the reason is all there is.
            error(
                "\(result.error?.message ?? "The job could not be run.") No result.json was written (agent exit code \(result.agentExitCode))."
            )
            return
        }
        var line = "job \(result.jobID) \(result.status.rawValue)"
        if let attempt = result.attempt, attempt > 1 { line += " (attempt \(attempt))" }
        if let code = result.exitCode { line += ", exit code \(code)" }
        if let signal = result.signal { line += ", killed by \(signal)" }
        if let commit = result.commit { line += ", commit \(commit.prefix(12))" }
        if let run = result.durationsMilliseconds.run { line += ", ran \(seconds(run))" }
        info(line)
        if let error = result.error { info("reason: \(error.message)") }
        if let artifacts = result.artifacts {
            info(
                "artifacts: \(outputFolder)/\(artifacts.file) (\(artifacts.bytes) bytes, \(artifacts.entries) entries)")
        }
        if let logs = result.logs, logs.truncated {
            for file in logs.files where file.droppedBytes > 0 || file.error != nil {
                let why =
                    file.error ?? "\(file.droppedBytes) of \(file.bytes) bytes dropped (\(ConfigKey.outputMaxLogBytes))"
                info("log \(outputFolder)/\(file.file) is incomplete: \(why)")
            }
        }
        if let report = result.report {
            info(
                report.delivered
                    ? "report: delivered (\(report.attempts) attempt\(report.attempts == 1 ? "" : "s"))"
                    : "report: not delivered: \(report.error ?? "unknown reason")")
        }
        if let file = completion.resultFile {
            info("result: \(file) (agent exit code \(result.agentExitCode))")
        } else {
            info("no result was written (agent exit code \(result.agentExitCode))")
        }
    }

    /// `1.234 s`.
    static func seconds(_ milliseconds: Int) -> String {
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - fraction.count) + fraction) s"
    }

    private static func write(_ text: String) {
        // Best effort: a closed stderr must not turn a result into a failure.
        try? FileSystem.writeAll(2, Array(text.utf8), path: "stderr")
    }
}
