/// The compression applied to the artifacts tar archive.
///
/// The raw value is what a configuration file or command line spells:
///
/// ```swift
/// let compression = ArtifactCompression(rawValue: "zstd")   // .zstd
/// compression?.fileName                                     // "artifacts.tar.zst"
/// ```
package enum ArtifactCompression: String, Sendable, CaseIterable {
    /// gzip (`.tar.gz`): readable everywhere.
    case gzip
    /// Zstandard (`.tar.zst`): faster and smaller than gzip.
    case zstd
    /// No compression (`.tar`).
    case none

    /// The name of the archive this compression produces.
    ///
    /// ```swift
    /// ArtifactCompression.gzip.fileName   // "artifacts.tar.gz"
    /// ArtifactCompression.none.fileName   // "artifacts.tar"
    /// ```
    package var fileName: String {
        switch self {
        case .gzip: "artifacts.tar.gz"
        case .zstd: "artifacts.tar.zst"
        case .none: "artifacts.tar"
        }
    }
}
