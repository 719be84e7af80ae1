import Foundation

/// Runs a program to completion with stdout and stderr captured in files
/// (so a large output cannot fill a pipe and stall the test).
struct Command {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, stdin: String? = nil
    ) throws -> Output {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sf-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Runs and requires exit status 0; returns stdout without the trailing newline.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], directory: String? = nil) throws -> String {
        let output = try run(executable, arguments, directory: directory)
        guard output.status == 0 else {
            throw CommandFailure(command: ([executable] + arguments).joined(separator: " "), output: output)
        }
        return output.stdout.trimmingCharacters(in: .newlines)
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var command: String
    var output: Command.Output
    var description: String { "`\(command)` exited \(output.status): \(output.stderr)" }
}
