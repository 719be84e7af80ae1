import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// The script a job will run, found inside a checkout.
package struct ResolvedScript: Sendable, Equatable {
    /// Absolute path of the script file inside the checkout.
    package var path: String
    /// Path relative to the checkout, as recorded in the result.
    package var relativePath: String
    /// The extension that matched (`ps1`, `py`, `sh`).
    package var fileExtension: String

    /// A script as ``ScriptResolver/resolve(scriptID:checkout:scriptsDirectory:extensions:)`` finds it (or a test's fake).
    package init(path: String, relativePath: String, fileExtension: String) {
        self.path = path
        self.relativePath = relativePath
        self.fileExtension = fileExtension
    }
}

/// Why a script could not be resolved.
package struct ScriptResolutionError: AgentError {
    package enum Code: String, Sendable, CaseIterable { case notFound, escapesCheckout, notRegularFile, unreadable }
    package var code: Code
    package var message: String

    package init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}

/// Finds `<SCRIPT_ID>.<ext>` under the checkout, trying extensions in order.
///
/// The file must be a regular file whose real path (every symlink resolved)
/// stays inside the checkout.
package enum ScriptResolver {
    package static func resolve(
        scriptID: String, checkout: String, scriptsDirectory: String, extensions: [String]
    ) throws(ScriptResolutionError) -> ResolvedScript {
        let root: String
        do { root = try FileSystem.realPath(checkout) } catch {
            throw ScriptResolutionError(code: .unreadable, message: "Cannot open the checkout: \(error).")
        }
        var tried: [String] = []
        for fileExtension in extensions {
            let relative = Path.join(scriptsDirectory, "\(scriptID).\(fileExtension)")
            let candidate = Path.join(root, relative)
            tried.append(relative)
            guard FileSystem.exists(candidate) else { continue }
            let real: String
            do { real = try FileSystem.realPath(candidate) } catch {
                throw ScriptResolutionError(
                    code: .escapesCheckout,
                    message:
                        "Script \(relative) is a symlink that does not resolve inside the checkout (\(error)); it is refused."
                )
            }
            guard Path.isInside(real, directory: root) else {
                throw ScriptResolutionError(
                    code: .escapesCheckout,
                    message: "Script \(relative) resolves to \(real), outside the checkout; it is refused.")
            }
            var info = stat()
            guard system_stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                throw ScriptResolutionError(code: .notRegularFile, message: "Script \(relative) is not a regular file.")
            }
            return ResolvedScript(path: real, relativePath: relative, fileExtension: fileExtension)
        }
        throw ScriptResolutionError(
            code: .notFound,
            message: "Script `\(scriptID)` was not found in the repository; tried \(tried.joined(separator: ", ")).")
    }
}
