#if canImport(Glibc)
import Glibc
#endif

/// Shell-style glob matching (`*`, `?`, `[...]`) by `fnmatch(3)`.
///
/// ```swift
/// Glob.matches("deploy/*", "deploy/web", pathSegments: true)   // true
/// Glob.matches("deploy/*", "deploy/a/b", pathSegments: true)   // false
/// ```
package enum Glob {
    /// Whether `text` matches `pattern`. With `pathSegments`, `*` and `?` do
    /// not cross `/`. C sees a string only up to its first NUL byte: a caller
    /// that may get one refuses it first (`Policy`'s `GlobPattern` does).
    package static func matches(_ pattern: String, _ text: String, pathSegments: Bool = false) -> Bool {
        system_fnmatch(pattern, text, pathSegments ? FNM_PATHNAME : 0) == 0
    }
}
