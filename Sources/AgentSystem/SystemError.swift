#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call, with what the agent was doing and on which path.
///
/// ```swift
/// throw SystemError(operation: "create directory", path: "/output/job-1", errno: EACCES)
/// // cannot create directory /output/job-1: Permission denied
/// ```
package struct SystemError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the agent tried to do, as a verb phrase ("open", "rename to /x").
    package var operation: String
    /// The path it was working on, if any.
    package var path: String?
    /// The `errno` the call left.
    package var errno: Int32

    package init(operation: String, path: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// Captures the current `errno` at once; call it right after the failing call.
    package static func last(_ operation: String, path: String? = nil) -> SystemError {
        SystemError(operation: operation, path: path, errno: currentErrno())
    }

    /// Whether the call failed because the path does not exist.
    package var isNotFound: Bool { errno == ENOENT }

    /// The system's text for `errno`: `SystemError.reason(EACCES)` is "Permission denied".
    package static func reason(_ errno: Int32) -> String {
        String(cString: strerror(errno))
    }

    package var description: String {
        let reason = Self.reason(errno)
        if let path { return "cannot \(operation) \(path): \(reason)" }
        return "cannot \(operation): \(reason)"
    }
}

/// The calling thread's `errno`.
package func currentErrno() -> Int32 {
    #if canImport(Glibc)
    return Glibc.errno
    #else
    return Darwin.errno
    #endif
}
