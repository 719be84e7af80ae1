/// Turns the job's paths into Landlock rules: read and execute on the
/// checkout and the system read paths, read-write on the job's own
/// directories, and nothing under an excluded path even when it lies
/// inside a read path.
///
/// Landlock only adds rights, so a read path that contains an excluded
/// path (say `/etc` and the agent's `/etc/sf-agent/agent.conf`) is split:
/// each entry of `/etc` gets its own rule, except the one leading to the
/// excluded path, which is split again, down to the excluded path itself,
/// which gets none. Symlinks met while splitting get no rule (their
/// targets are covered, or not, by their own paths).
///
/// ```swift
/// let rules = LandlockRules.make(
///     readPaths: ["/usr", "/etc"], readOnly: [checkout], writable: [workDirectory],
///     excluded: ["/etc/sf-agent/agent.conf"], entries: LandlockRules.directoryEntries)
/// ```
package enum LandlockRules {
    /// Devices every job may use: `/dev/null` read-write, the zero and
    /// random devices read-only.
    package static let devices: [LandlockRule] = [
        LandlockRule("/dev/null", [.readFile, .writeFile, .truncate]),
        LandlockRule("/dev/zero", [.readFile]),
        LandlockRule("/dev/random", [.readFile]),
        LandlockRule("/dev/urandom", [.readFile]),
    ]

    /// The rules, in order: devices, read paths and extra write paths (each
    /// split around exclusions), read-only paths, writable paths.
    /// `entries(directory)` lists a directory's entries that are not
    /// symlinks, or nil if it cannot.
    package static func make(
        readPaths: [String], writePaths: [String] = [], readOnly: [String], writable: [String], excluded: [String],
        entries: (String) -> [String]?
    ) -> [LandlockRule] {
        let excluded = excluded.map(normalized)
        var rules = devices
        for path in readPaths.map(normalized) {
            split(path, .readExecute, excluded: excluded, entries: entries, into: &rules)
        }
        for path in writePaths.map(normalized) {
            split(path, .readWrite, excluded: excluded, entries: entries, into: &rules)
        }
        rules += readOnly.map { LandlockRule(normalized($0), .readExecute) }
        rules += writable.map { LandlockRule(normalized($0), .readWrite) }
        return rules
    }

    private static func split(
        _ path: String, _ access: LandlockAccess, excluded: [String], entries: (String) -> [String]?,
        into rules: inout [LandlockRule]
    ) {
        if excluded.contains(where: { isSame(path, orUnder: $0) }) { return }
        guard excluded.contains(where: { isSame($0, orUnder: path) }) else {
            rules.append(LandlockRule(path, access))
            return
        }
        // An excluded path lies below: one rule per entry instead.
        for name in (entries(path) ?? []).sorted() {
            split(
                path == "/" ? "/" + name : path + "/" + name, access, excluded: excluded, entries: entries, into: &rules
            )
        }
    }

    /// Whether `path` is `base` or lies under it.
    static func isSame(_ path: String, orUnder base: String) -> Bool {
        path == base || base == "/" || path.hasPrefix(base + "/")
    }

    /// Without trailing slashes (`/` stays `/`).
    static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
