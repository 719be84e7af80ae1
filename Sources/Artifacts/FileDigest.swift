/// One archived regular file and the SHA-256 of its contents.
///
/// ```swift
/// summary.fileDigests.first   // FileDigest(path: "report.txt", sha256: "5891b5b5…")
/// ```
package struct FileDigest: Sendable, Equatable {
    /// The path inside the archive.
    package var path: String
    package var sha256: String

    package init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}
