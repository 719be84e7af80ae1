import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A server written as a Python script (http.server), run by a test: the
/// script is written into `state` and started as `python3 server.py
/// <state> <arguments…>`; it must write the port it listens on to
/// `<state>/port` (atomically, by rename) once it accepts connections.
package final class PythonServer {
    package let state: String
    package private(set) var port = 0
    private let process: RunningCommand

    /// Starts `script` and waits (up to a minute) for its port.
    package init(script: String, state: String, arguments: [String] = []) throws {
        self.state = state
        try FixtureTools.write(script, to: state + "/server.py")
        process = try Command.start(
            "/usr/bin/python3", [state + "/server.py", state] + arguments,
            environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"], standardOutput: state + "/server.log",
            standardError: state + "/server.log")
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            if let text = try? String(contentsOfFile: state + "/port", encoding: .utf8), let number = Int(text) {
                port = number
                return
            }
            usleep(20_000)
        }
        let log = (try? String(contentsOfFile: state + "/server.log", encoding: .utf8)) ?? ""
        process.stop()
        throw FixtureFailure("the Python server in \(state) did not start: \(log)")
    }

    /// Kills the server (SIGKILL) and reaps it; the caller removes `state`.
    package func stop() { process.stop() }
}
