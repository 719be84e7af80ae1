import Foundation

/// A new empty directory from ``FixtureTools/temporaryDirectory(_:in:)``,
/// removed with everything in it (``FixtureTools/removeTree(_:)``) when the
/// value goes away: at the end of the test that holds it, or with the suite
/// instance that stores it.
///
/// ```swift
/// let scratch = try TemporaryDirectory("sf-secrets")
/// let folder = try scratch.subdirectory("docker")
/// ```
package final class TemporaryDirectory: Sendable {
    package let path: String

    /// Makes `<parent>/<prefix>-XXXXXX` (0755).
    package init(_ prefix: String, in parent: String = "/tmp") throws {
        path = try FixtureTools.temporaryDirectory(prefix, in: parent)
    }

    deinit {
        FixtureTools.removeTree(path)
    }

    /// `path/name`, after creating it (and its parents) as a directory when `create` is set.
    package func subdirectory(_ name: String, create: Bool = true) throws -> String {
        let result = path + "/" + name
        if create { try FileManager.default.createDirectory(atPath: result, withIntermediateDirectories: true) }
        return result
    }
}
