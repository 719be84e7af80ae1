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

    /// Runs `arguments` (looked up on PATH) in git's fixture environment and returns its standard output.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Data {
        try FixtureTools.output("/usr/bin/env", arguments, in: directory, environment: FixtureGit.environment)
    }

    /// Runs `git <arguments>` in `directory` (``FixtureGit``) and returns its output without the trailing newline.
    @discardableResult
    static func git(_ arguments: String..., in directory: String) throws -> String {
        try FixtureGit.run(arguments, in: directory)
    }
}
