import AgentSystem

/// The agent's own notes on stderr while a job runs, prefixed so they
/// stand out from the script's output.
///
/// ```swift
/// AgentLog.warning("Secret `pin` is only 4 bytes long: …")
/// // sf-agent: warning: Secret `pin` is only 4 bytes long: …
/// ```
enum AgentLog {
    static func warning(_ message: String) {
        try? FileSystem.writeAll(2, Array("sf-agent: warning: \(message)\n".utf8), path: "stderr")
    }
}
