import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small steps the server fixtures share: running a tool, writing files,
/// making a folder.
package enum FixtureTools {
    /// Runs `executable` with `arguments` in `directory`; throws with its stderr unless it exits 0.
    @discardableResult
    package static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
        String(decoding: try output(executable, arguments, in: directory), as: UTF8.self)
    }

    /// Runs `executable` with `arguments` in `directory` and `environment`;
    /// returns its stdout, or throws with its stderr unless it exits 0.
    package static func output(
        _ executable: String, _ arguments: [String], in directory: String? = nil,
        environment: [String: String] = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C", "HOME": "/nonexistent",
        ]
    ) throws -> Data {
        let result = try Command.run(executable, arguments, environment: environment, directory: directory)
        guard result.status == 0 else {
            throw FixtureFailure(
                "\(executable) \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.standardOutput
    }

    /// Writes `text` to `path` with `mode`.
    package static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        guard chmod(path, mode) == 0 else { throw FixtureFailure("chmod \(path): errno \(errno)") }
    }

    /// A new empty directory under /tmp, traversable by other users (0755).
    package static func temporaryDirectory(_ prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureFailure("mkdtemp: errno \(errno)") }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }
}
