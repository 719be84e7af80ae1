import CGit2

#if canImport(Glibc)
import Glibc
#endif

/// A tree object's entries, read as values.
struct Tree {
    /// One entry: a name (raw bytes, not necessarily UTF-8), a mode and an id.
    struct Entry {
        var name: [UInt8]
        var mode: git_filemode_t
        var id: ObjectID

        /// The name for messages (invalid UTF-8 repaired).
        var displayName: String { String(decoding: name, as: UTF8.self) }
    }

    let object: GitObject

    init(_ object: GitObject) { self.object = object }

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
            let length = strlen(name)
            let bytes = UnsafeRawBufferPointer(start: name, count: length)
            result.append(
                Entry(name: Array(bytes), mode: git_tree_entry_filemode_raw(entry), id: ObjectID(oid.pointee)))
        }
        return withExtendedLifetime(object) { result }
    }
}
