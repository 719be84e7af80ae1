import Foundation
import TestSupport

/// A small tmpfs mounted for one test (tests run as root).
final class TmpfsMount {
    let path: String
    private var mounted = false

    init(at path: String, options: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try Command.tool("mount", ["-t", "tmpfs", "-o", options, "tmpfs", path])
        guard result.status == 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSLocalizedDescriptionKey: result.stderr])
        }
        mounted = true
    }

    func unmount() {
        guard mounted else { return }
        mounted = (try? Command.tool("umount", [path]).status) != 0
    }

    deinit {
        unmount()
    }
}
