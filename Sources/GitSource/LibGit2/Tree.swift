import AgentSystem
import CGit2

/// A tree object's entries, read as values.
struct Tree {
    /// One entry: a name (raw bytes, not necessarily UTF-8), a mode and an id.
    struct Entry {
        var name: [UInt8]
        /// The mode as recorded (not normalized).
        var mode: FileMode
        var id: ObjectID

        /// The name for messages (invalid UTF-8 repaired).
        var displayName: String { String(decoding: name, as: UTF8.self) }
    }

    /// An entry found by its path from the tree (see ``entry(atPath:)``).
    struct PathEntry {
        var id: ObjectID
        /// What the mode says the entry is: a blob (file or symlink), a tree or a commit (submodule).
        var type: ObjectType?
        /// The mode normalized (a file's is ``FileMode/blob`` or ``FileMode/executable``).
        var mode: FileMode
    }

    let object: GitObject

    init(_ object: GitObject) { self.object = object }

    /// The tree's id.
    var id: ObjectID { object.id }

    /// The entries, in the tree's order.
    var entries: [Entry] {
        let count = git_tree_entrycount(object.pointer)
        var result: [Entry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(object.pointer, index),
                let name = git_tree_entry_name(entry),
                let oid = git_tree_entry_id(entry)
            else { continue }
            result.append(
                Entry(
                    name: CString.bytes(name), mode: FileMode(git_tree_entry_filemode_raw(entry)),
                    id: ObjectID(oid.pointee)))
        }
        return withExtendedLifetime(object) { result }
    }

    /// The entry at `path` (slash-separated, through subtrees; symlinks are
    /// not followed), or nil when there is none or the path cannot be looked up.
    func entry(atPath path: String) -> PathEntry? {
        var found: OpaquePointer?
        let code = git_tree_entry_bypath(&found, object.pointer, path)
        defer { git_tree_entry_free(found) }
        guard code == 0, let found, let oid = git_tree_entry_id(found) else { return nil }
        return PathEntry(
            id: ObjectID(oid.pointee), type: ObjectType(git_tree_entry_type(found)),
            mode: FileMode(git_tree_entry_filemode(found)))
    }
}
