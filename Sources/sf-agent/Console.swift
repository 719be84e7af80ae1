import AgentSystem
import Report

/// The agent's own lines on stderr, prefixed so they stand out from the script's output.
enum Console {
    static func error(_ message: String) {
        write("sf-agent: error: \(message)\n")
    }

    static func info(_ message: String) {
        write("sf-agent: \(message)\n")
    }

    /// The closing summary of a job.
    static func summary(_ result: JobResult, outputFolder: String) {
        var line = "job \(result.jobID) \(result.status.rawValue)"
        if let code = result.exitCode { line += ", exit code \(code)" }
        if let signal = result.signal { line += ", killed by \(signal)" }
        if let commit = result.commit { line += ", commit \(commit.prefix(12))" }
        info(line)
        if let error = result.error { info("reason: \(error.message)") }
        if let artifacts = result.artifacts {
            info("artifacts: \(outputFolder)/\(artifacts.file) (\(artifacts.bytes) bytes, \(artifacts.entries) entries)")
        }
        info("result: \(outputFolder)/\(ResultWriter.fileName) (agent exit code \(result.agentExitCode))")
    }

    private static func write(_ text: String) {
        // Best effort: a closed stderr must not turn a result into a failure.
        try? FileSystem.writeAll(2, Array(text.utf8), path: "stderr")
    }
}
