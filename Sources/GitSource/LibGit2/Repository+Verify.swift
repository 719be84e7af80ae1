import CGit2

extension Repository {
    /// Whether `commit` is `ancestor` or can reach it through parent links
    /// (`git_graph_descendant_of`, which alone does not count a commit as its own descendant).
    func isReachable(_ ancestor: ObjectID, from commit: ObjectID) throws(GitFailure) -> Bool {
        if ancestor == commit { return true }
        var descendant = commit.raw
        var base = ancestor.raw
        let code = git_graph_descendant_of(pointer, &descendant, &base)
        try check("git_graph_descendant_of", code)
        return code == 1
    }

    /// The raw content of an object as stored (for a tag: its headers, message and signature).
    func rawObject(_ id: ObjectID) throws(GitFailure) -> [UInt8] {
        var database: OpaquePointer?
        try check("git_repository_odb", git_repository_odb(&database, pointer))
        defer { git_odb_free(database) }
        var object: OpaquePointer?
        var oid = id.raw
        try check("git_odb_read", git_odb_read(&object, database, &oid))
        defer { git_odb_object_free(object) }
        let size = git_odb_object_size(object)
        guard size > 0, let data = git_odb_object_data(object) else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: size))
    }
}
