import AgentSystem

/// Shell-style glob matching (`*`, `?`, `[...]`) as `fnmatch(3)` does it.
package enum GlobPattern {
    /// Matches `text` against `pattern`. With `pathSegments`, `*` and `?`
    /// do not cross `/`, so `deploy/*` matches `deploy/web` but not `deploy/a/b`.
    /// A pattern or a text holding a NUL byte matches nothing: `fnmatch`
    /// would see only what comes before it.
    package static func matches(_ pattern: String, _ text: String, pathSegments: Bool = false) -> Bool {
        guard !pattern.utf8.contains(0), !text.utf8.contains(0) else { return false }
        return Glob.matches(pattern, text, pathSegments: pathSegments)
    }

    /// Whether any pattern matches.
    package static func matchesAny(_ patterns: [String], _ text: String, pathSegments: Bool = false) -> Bool {
        patterns.contains { matches($0, text, pathSegments: pathSegments) }
    }
}
