import Foundation

/// Runs a tool (GNU tar, mount, sha256sum) to its end, in a UTF-8 locale.
struct Command {
    var status: Int32
    var output: String
    var errors: String

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Command {
        let scratch = try TemporaryDirectory()
        let outPath = scratch.path + "/out"
        let errPath = scratch.path + "/err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Command(
            status: process.terminationStatus,
            output: try String(contentsOfFile: outPath, encoding: .utf8),
            errors: try String(contentsOfFile: errPath, encoding: .utf8))
    }
}
