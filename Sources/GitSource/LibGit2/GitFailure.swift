import CGit2

/// A failed libgit2 call: its return code and the thread's last error,
/// captured right after the call (libgit2's error state is per thread and
/// the next call may overwrite it).
struct GitFailure: Error, Sendable, CustomStringConvertible {
    /// The call's return code (`GIT_ENOTFOUND`, `GIT_EOWNER`, …).
    var code: Int32
    /// libgit2's error class (`GIT_ERROR_NET`, …), 0 when none was set.
    var errorClass: Int32
    /// libgit2's message, or a generic one when it set none.
    var message: String

    /// Reads `git_error_last()` for a call that returned `code`.
    static func last(_ code: Int32, calling function: String) -> GitFailure {
        if let error = git_error_last(), let text = error.pointee.message {
            return GitFailure(code: code, errorClass: error.pointee.klass, message: String(cString: text))
        }
        return GitFailure(code: code, errorClass: 0, message: "\(function) failed with code \(code)")
    }

    /// Whether the call failed because the object or reference does not exist.
    var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }

    var description: String { message }
}

/// Runs a libgit2 call and turns a negative return code into a ``GitFailure``.
@inline(__always)
func check(_ function: String, _ code: Int32) throws(GitFailure) {
    if code < 0 { throw GitFailure.last(code, calling: function) }
}
