import Foundation
import TestSupport

/// Runs the git CLI (and other tools) for test fixtures. Tests only.
enum Shell {
    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var stderr: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    /// An environment that keeps the host's git configuration out of the fixtures.
    static let environment: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/nonexistent",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "LC_ALL": "C",
    ]

    /// Runs `arguments` (looked up on PATH) and returns its standard output.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Data {
        try FixtureTools.output("/usr/bin/env", arguments, in: directory, environment: environment)
    }

    /// Runs `git <arguments>` in `directory` and returns its output without the trailing newline.
    @discardableResult
    static func git(_ arguments: String..., in directory: String) throws -> String {
        let data = try run(["git"] + arguments, in: directory)
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Removes a tree, making read-only directories writable first.
    static func remove(_ path: String) {
        _ = try? run(["chmod", "-R", "u+w", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}
