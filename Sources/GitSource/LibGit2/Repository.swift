import CGit2

/// An open `git_repository*`, freed when the last reference goes away.
final class Repository {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_repository_free(pointer) }

    /// Opens the bare repository at `path`, without searching parent directories.
    static func openBare(at path: String) throws(GitFailure) -> Repository {
        var out: OpaquePointer?
        try check("git_repository_open_bare", git_repository_open_bare(&out, path))
        return try wrap(out, "git_repository_open_bare")
    }

    /// Opens the repository at `path` (a work tree or a bare repository), without searching parents.
    static func open(at path: String) throws(GitFailure) -> Repository {
        var out: OpaquePointer?
        try check(
            "git_repository_open_ext",
            git_repository_open_ext(&out, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil))
        return try wrap(out, "git_repository_open_ext")
    }

    /// The repository's git directory (`.../.git/` or the bare directory), ending in `/`.
    var gitDirectory: String {
        guard let path = git_repository_path(pointer) else { return "" }
        return String(cString: path)
    }

    /// Points `name` at `id`, replacing any existing reference.
    func setReference(_ name: String, to id: ObjectID) throws(GitFailure) {
        var oid = id.raw
        var out: OpaquePointer?
        try check("git_reference_create", git_reference_create(&out, pointer, name, &oid, 1, "sf-agent"))
        git_reference_free(out)
    }

    /// Creates (or re-initializes) a bare repository at `path`.
    static func initBare(at path: String) throws(GitFailure) -> Repository {
        var out: OpaquePointer?
        try check("git_repository_init", git_repository_init(&out, path, 1))
        return try wrap(out, "git_repository_init")
    }

    /// The object with `id`, or nil when the repository does not have it
    /// (nor, when `type` is given, as an object of that type).
    func object(_ id: ObjectID, type: ObjectType? = nil) throws(GitFailure) -> GitObject? {
        var oid = id.raw
        var out: OpaquePointer?
        let code = git_object_lookup(&out, pointer, &oid, type?.raw ?? GIT_OBJECT_ANY)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_object_lookup", code)
        guard let out else {
            throw GitFailure(code: -1, errorClass: 0, message: "git_object_lookup returned no object")
        }
        return GitObject(out)
    }

    /// The object a reference points to (symbolic references followed), or
    /// nil when there is no reference called `name`.
    func referenceTarget(_ name: String) throws(GitFailure) -> ObjectID? {
        var out = git_oid()
        let code = git_reference_name_to_id(&out, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check("git_reference_name_to_id", code)
        return ObjectID(out)
    }

    private static func wrap(_ pointer: OpaquePointer?, _ function: String) throws(GitFailure) -> Repository {
        guard let pointer else {
            throw GitFailure(code: -1, errorClass: 0, message: "\(function) returned no repository")
        }
        return Repository(pointer)
    }
}
