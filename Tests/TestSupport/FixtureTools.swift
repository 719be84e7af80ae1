import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Small steps the fixtures share: running a tool, writing files, making
/// and removing a temporary folder.
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

    /// A new empty directory `<parent>/<prefix>-XXXXXX`, traversable by
    /// other users (0755); the caller removes it with ``removeTree(_:)``, or
    /// holds a ``TemporaryDirectory``, which does. `parent` is /tmp unless a
    /// test needs another file system (a tmpfs: /dev/shm).
    package static func temporaryDirectory(_ prefix: String, in parent: String = "/tmp") throws -> String {
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureFailure("mkdtemp in \(parent): errno \(errno)") }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    /// Removes `path` and everything under it, whatever a test left there:
    /// read-only folders (as another user than root), names that are not
    /// UTF-8, a tree deeper than PATH_MAX. A path that is not there is fine;
    /// a failure is ignored (a leftover folder must not fail a test).
    package static func removeTree(_ path: String) {
        if (try? FileManager.default.removeItem(atPath: path)) != nil { return }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        // chmod -R does not follow the links it meets; rm -rf walks any depth.
        _ = try? Command.run("/bin/chmod", ["-R", "u+rwX", path])
        _ = try? Command.run("/bin/rm", ["-rf", path])
    }
}
