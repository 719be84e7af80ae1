import AgentSystem

/// Where the cache saw each tag, kept beside the cache repository
/// (`repos/<name>.git.tags`, one `<commit> <refs/tags/…>` line per tag), so
/// that `policy.immutable_tags` outlives a repository rebuilt after damage.
///
/// Read and written only under the repository's exclusive lock.
///
/// ```swift
/// let memory = TagMemory(path: cache.repositoryPath(for: url) + ".tags")
/// memory.commit(for: "refs/tags/v1")        // "3f1c…" or nil
/// try memory.remember("refs/tags/v1", at: "3f1c…")
/// ```
struct TagMemory {
    let path: String

    /// The commit the cache last saw `name` at, or nil.
    func commit(for name: String) -> String? {
        entries()[name]
    }

    /// Records `name` at `commit` (a no-op when already so).
    func remember(_ name: String, at commit: String) throws(SystemError) {
        var known = entries()
        guard known[name] != commit else { return }
        known[name] = commit
        let text = known.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)\n" }.joined()
        try FileSystem.writeAtomically(Array(text.utf8), to: path)
    }

    /// The file's well-formed lines; a missing or unreadable file is empty.
    private func entries() -> [String: String] {
        guard let bytes = try? FileSystem.readFile(path) else { return [:] }
        var known: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, ObjectID.isFullHex(String(parts[0])), parts[1].hasPrefix("refs/tags/") else {
                continue
            }
            known[String(parts[1])] = String(parts[0])
        }
        return known
    }
}
