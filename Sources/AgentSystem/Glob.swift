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
    /// not cross `/`. A pattern or a text holding a NUL byte matches nothing:
    /// `fnmatch` would see only what comes before it.
    package static func matches(_ pattern: String, _ text: String, pathSegments: Bool = false) -> Bool {
        guard !pattern.utf8.contains(0), !text.utf8.contains(0) else { return false }
        return system_fnmatch(pattern, text, pathSegments ? FNM_PATHNAME : 0) == 0
    }

    /// Whether any pattern matches.
    package static func matchesAny(_ patterns: [String], _ text: String, pathSegments: Bool = false) -> Bool {
        patterns.contains { matches($0, text, pathSegments: pathSegments) }
    }
}
