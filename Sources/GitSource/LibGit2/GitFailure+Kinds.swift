import CGit2

/// The failures the agent makes itself, and the kinds of libgit2's it tells apart.
extension GitFailure {
    /// A callback stopped the operation for a reason of the agent's own (`GIT_EUSER`).
    static func stopped(_ message: String) -> GitFailure {
        GitFailure(code: GIT_EUSER.rawValue, errorClass: 0, message: message)
    }

    /// The agent refused to authenticate (`GIT_EAUTH`, a network error).
    static func authenticationRefused(_ message: String) -> GitFailure {
        GitFailure(code: GIT_EAUTH.rawValue, errorClass: Int32(GIT_ERROR_NET.rawValue), message: message)
    }

    /// The agent refused the server's SSH host key (`GIT_ECERTIFICATE`, an SSH error).
    static func hostKeyRefused(_ message: String) -> GitFailure {
        GitFailure(code: GIT_ECERTIFICATE.rawValue, errorClass: Int32(GIT_ERROR_SSH.rawValue), message: message)
    }

    /// The object `id` is not in the object database (`GIT_ENOTFOUND`, an odb error).
    static func missingObject(_ id: ObjectID) -> GitFailure {
        GitFailure(
            code: GIT_ENOTFOUND.rawValue, errorClass: Int32(GIT_ERROR_ODB.rawValue),
            message: "object \(id.hex) is missing")
    }

    /// A server's certificate or host key was refused.
    var isCertificateFailure: Bool { code == GIT_ECERTIFICATE.rawValue }

    /// The object database or zlib failed: objects on disk are missing or unreadable.
    var isStorageFailure: Bool { isClass(GIT_ERROR_ODB, GIT_ERROR_ZLIB) }

    /// Reading objects failed in a way that means a damaged repository:
    /// a ``isStorageFailure``, a pack index or an object that cannot be parsed.
    var isDamage: Bool { isClass(GIT_ERROR_ODB, GIT_ERROR_ZLIB, GIT_ERROR_INDEXER, GIT_ERROR_OBJECT) }

    private func isClass(_ classes: git_error_t...) -> Bool {
        classes.contains { Int32($0.rawValue) == errorClass }
    }
}
