import CGit2

/// A tree entry's mode, as git records it.
///
/// A struct rather than an enum: a tree may hold any mode, and an unknown
/// one must reach the caller intact (to be refused by name).
///
/// ```swift
/// switch entry.mode {
/// case .blob: …
/// case .link: …
/// default: print(String(entry.mode.rawValue, radix: 8))
/// }
/// ```
struct FileMode: RawRepresentable, Equatable, Sendable {
    var rawValue: UInt32

    init(rawValue: UInt32) { self.rawValue = rawValue }

    init(_ mode: git_filemode_t) { rawValue = mode.rawValue }

    /// A directory (040000).
    static let tree = FileMode(GIT_FILEMODE_TREE)
    /// A regular file (100644).
    static let blob = FileMode(GIT_FILEMODE_BLOB)
    /// An executable file (100755).
    static let executable = FileMode(GIT_FILEMODE_BLOB_EXECUTABLE)
    /// A symbolic link, whose blob is its target (120000).
    static let link = FileMode(GIT_FILEMODE_LINK)
    /// A submodule's commit, kept in another repository (160000).
    static let submodule = FileMode(GIT_FILEMODE_COMMIT)
}
