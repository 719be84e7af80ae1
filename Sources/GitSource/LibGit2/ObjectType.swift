import CGit2

/// The four kinds of git object.
///
/// ```swift
/// guard object.type == .commit else { … }
/// ```
enum ObjectType: Sendable {
    case commit, tree, blob, tag

    /// libgit2's value; nil for one that names no object kind (`GIT_OBJECT_ANY`, deltas).
    init?(_ raw: git_object_t) {
        switch raw {
        case GIT_OBJECT_COMMIT: self = .commit
        case GIT_OBJECT_TREE: self = .tree
        case GIT_OBJECT_BLOB: self = .blob
        case GIT_OBJECT_TAG: self = .tag
        default: return nil
        }
    }

    /// libgit2's value.
    var raw: git_object_t {
        switch self {
        case .commit: GIT_OBJECT_COMMIT
        case .tree: GIT_OBJECT_TREE
        case .blob: GIT_OBJECT_BLOB
        case .tag: GIT_OBJECT_TAG
        }
    }
}
