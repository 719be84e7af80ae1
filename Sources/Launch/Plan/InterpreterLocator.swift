import AgentSystem
import ConfigKeys

#if canImport(Glibc)
import Glibc
#endif

/// An interpreter command that cannot be used.
package struct InterpreterError: AgentError {
    /// What is wrong with the command.
    package enum Code: String, Sendable, CaseIterable { case empty, relativePath, notExecutable, notFound }
    package var code: Code
    package var message: String
}

/// Finds an interpreter's executable the way `execvp` would, but up front, so
/// the plan shows an absolute path and a missing interpreter is a clear error.
package enum InterpreterLocator {
    /// Returns `command` with its first word replaced by an absolute path.
    /// `key` names the configuration key in errors.
    package static func locate(_ command: [String], searchPath: String, key: ConfigKey) throws(InterpreterError)
        -> [String]
    {
        guard let program = command.first else {
            throw InterpreterError(
                code: .empty, message: "\(key) is empty; set it to a command such as `python3`.")
        }
        if program.contains("/") {
            guard program.hasPrefix("/") else {
                throw InterpreterError(
                    code: .relativePath,
                    message: "\(key): `\(program)` must be a bare name found on PATH or an absolute path.")
            }
            guard isExecutableFile(program) else {
                throw InterpreterError(
                    code: .notExecutable,
                    message: "\(key): `\(program)` is not an executable file; install it or fix \(key).")
            }
            return command
        }
        for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = Path.join(String(directory), program)
            if isExecutableFile(candidate) { return [candidate] + command.dropFirst() }
        }
        throw InterpreterError(
            code: .notFound,
            message:
                "\(key): `\(program)` was not found on PATH (\(searchPath)); install it or set \(key) to its absolute path."
        )
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return system_stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && system_access(path, X_OK) == 0
    }
}
