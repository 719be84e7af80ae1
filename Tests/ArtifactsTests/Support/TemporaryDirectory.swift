import Foundation
import TestSupport

/// A fresh directory under /tmp, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = try FixtureTools.temporaryDirectory("artifacts-tests")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/name`, after creating it as a directory when `create` is set.
    func subdirectory(_ name: String, create: Bool = true) throws -> String {
        let result = path + "/" + name
        if create { try FileManager.default.createDirectory(atPath: result, withIntermediateDirectories: true) }
        return result
    }
}
