import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small steps the server fixtures share: running a tool, writing files,
/// waiting for a port, stopping a server.
public enum FixtureTools {
    /// Runs `executable` with `arguments` in `directory`; throws with its stderr unless it exits 0.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "HOME": "/nonexistent"]
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureFailure("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `text` to `path` with `mode`.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        guard chmod(path, mode) == 0 else { throw FixtureFailure("chmod \(path): errno \(errno)") }
    }

    /// A new empty directory under /tmp, traversable by other users (0755).
    public static func temporaryDirectory(_ prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureFailure("mkdtemp: errno \(errno)") }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    /// Starts `process` with stdin from /dev/null and stdout and stderr appended to `log`.
    public static func start(_ process: Process, log: String) throws {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    /// Waits (up to a minute) until every port accepts, or throws with the server's log.
    public static func waitUntilListening(_ ports: [UInt16], process: Process, log: String, name: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !ports.allSatisfy({ Loopback.accepts($0) }) {
            guard process.isRunning, Date() < deadline else {
                stop(process)
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw FixtureFailure("\(name) did not start listening on \(ports): \(text)")
            }
            usleep(20_000)
        }
    }

    /// SIGKILL and reap (children of Foundation's Process may block SIGTERM).
    public static func stop(_ process: Process) {
        guard process.processIdentifier > 0 else { return }  // never started
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
