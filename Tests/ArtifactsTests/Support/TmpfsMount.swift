import Foundation

/// A small tmpfs mounted for one test (tests run as root).
final class TmpfsMount {
    let path: String
    private var mounted = false

    init(at path: String, options: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try Command.run("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path])
        guard result.status == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: result.errors])
        }
        mounted = true
    }

    func unmount() {
        guard mounted else { return }
        mounted = (try? Command.run("umount", [path]).status) != 0
    }

    deinit {
        unmount()
    }
}
