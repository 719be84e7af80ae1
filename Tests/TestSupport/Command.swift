import Foundation

/// Runs a program to completion with stdout and stderr captured in files
/// (so a large output cannot fill a pipe and stall the test). Tests only.
package enum Command {
    /// What a finished program left.
    package struct Output: Sendable {
        package var status: Int32
        package var standardOutput: Data
        package var standardError: Data
        /// stdout as text (invalid UTF-8 repaired).
        package var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
        /// stderr as text (invalid UTF-8 repaired).
        package var stderr: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments`, in `directory` and `environment`
    /// (the test's own when nil), stdin from /dev/null.
    package static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> Output {
        let scratch = try FixtureTools.temporaryDirectory("sf-cmd")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/out"
        let errPath = scratch + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus,
            standardOutput: try Data(contentsOf: URL(fileURLWithPath: outPath)),
            standardError: try Data(contentsOf: URL(fileURLWithPath: errPath)))
    }

    /// Runs and requires exit status 0; returns stdout without the trailing newline.
    @discardableResult
    package static func check(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> String {
        let output = try run(executable, arguments, environment: environment, directory: directory)
        guard output.status == 0 else {
            throw CommandFailure(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
        return output.stdout.trimmingCharacters(in: .newlines)
    }

    /// Runs the tool `name` (GNU tar, sha256sum, mount) found on a standard
    /// PATH, in a UTF-8 locale; the caller checks the status.
    @discardableResult
    package static func tool(_ name: String, _ arguments: [String]) throws -> Output {
        try run(
            "/usr/bin/env", [name] + arguments,
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"])
    }
}

/// A command that exited with a status other than 0.
package struct CommandFailure: Error, CustomStringConvertible {
    package var command: String
    package var output: Command.Output
    package var description: String { "`\(command)` exited \(output.status): \(output.stderr)" }

    package init(command: String, output: Command.Output) {
        self.command = command
        self.output = output
    }
}
