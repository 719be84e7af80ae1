/// An entry of the artifacts directory that is not in the archive because
/// the reader could not read it.
///
/// ```swift
/// summary.unreadable.first
/// // UnreadArtifact(path: "d5", reason: "it became a symbolic link while the artifacts were read, …")
/// ```
package struct UnreadArtifact: Sendable, Equatable {
    /// The path relative to the artifacts directory, secret values masked.
    package var path: String
    /// Why, as the end of a sentence.
    package var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
