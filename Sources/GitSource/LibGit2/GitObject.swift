import CGit2

/// A `git_object*` (a commit, tree, blob or tag), freed in deinit.
///
/// libgit2's `git_tree*`, `git_blob*` and `git_commit*` are `git_object*`
/// underneath, so the typed views (``Tree``, ``withBlobContents(_:)``) reuse
/// this pointer.
final class GitObject {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_object_free(pointer) }

    /// The object's id.
    var id: ObjectID {
        guard let oid = git_object_id(pointer) else { return ObjectID(git_oid()) }
        return ObjectID(oid.pointee)
    }

    /// The object's type (nil only for one libgit2 does not name).
    var type: ObjectType? { ObjectType(git_object_type(pointer)) }

    /// "commit", "tree", "blob" or "tag".
    var typeName: String {
        guard let name = git_object_type2string(git_object_type(pointer)) else { return "unknown object" }
        return String(cString: name)
    }

    /// The object a tag points to, through nested tags (an object that is not a tag: itself).
    func peelTags() throws(GitFailure) -> GitObject {
        try peel(to: GIT_OBJECT_ANY)
    }

    /// The commit's tree; the object must be a commit.
    func commitTree() throws(GitFailure) -> Tree {
        Tree(try peel(to: GIT_OBJECT_TREE))
    }

    /// Calls `body` with the blob's raw bytes (no filters), valid only
    /// during the call; the object must be a blob (see ``Repository/object(_:type:)``).
    func withBlobContents<Result, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Result)
        throws(Failure) -> Result
    {
        let size = Int(git_blob_rawsize(pointer))
        let bytes = UnsafeRawBufferPointer(start: size == 0 ? nil : git_blob_rawcontent(pointer), count: size)
        return try withExtendedLifetime(self) { () throws(Failure) -> Result in try body(bytes) }
    }

    /// Peels tags (and commits, for trees) until an object of `target` type.
    private func peel(to target: git_object_t) throws(GitFailure) -> GitObject {
        var out: OpaquePointer?
        try check("git_object_peel", git_object_peel(&out, pointer, target))
        guard let out else { throw GitFailure(code: -1, errorClass: 0, message: "git_object_peel returned no object") }
        return GitObject(out)
    }
}
