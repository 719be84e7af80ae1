/// String operations on POSIX paths; nothing here touches the disk.
package enum Path {
    /// The directory part: `/a/b` → `/a`, `b` → `.`, `/` → `/`.
    package static func parent(of path: String) -> String {
        let trimmed = trimTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The last component: `/a/b` → `b`.
    package static func lastComponent(of path: String) -> String {
        let trimmed = trimTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// Joins components with single slashes, skipping empty ones: `join("", "a")` is `a`.
    package static func join(_ base: String, _ components: String...) -> String {
        components.reduce(base) { path, component in
            if component.isEmpty { return path }
            if path.isEmpty { return component }
            if path.hasSuffix("/") { return path + component }
            return path + "/" + component
        }
    }

    /// Whether `path` is `directory` or lies under it (both canonical, absolute).
    /// Compares bytes: `String`'s `==` and `hasPrefix` hold canonically
    /// equivalent spellings equal (`é` and `e` + U+0301), which name two files.
    package static func isInside(_ path: String, directory: String) -> Bool {
        let base = Array(trimTrailingSlashes(directory).utf8)
        let prefix = base == [UInt8(ascii: "/")] ? base : base + [UInt8(ascii: "/")]
        return path.utf8.elementsEqual(base) || path.utf8.starts(with: prefix)
    }

    private static func trimTrailingSlashes(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1 && result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
