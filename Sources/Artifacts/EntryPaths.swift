import Secrets

/// An entry's path inside the archive, relative to the artifacts directory.
struct ArtifactName {
    /// The path as on disk: the components' bytes joined by `/`.
    var raw: [UInt8]
    /// The path with every form of every secret masked: what the tar
    /// header, `manifest.json`, the summary and the logs hold.
    var masked: [UInt8]
    /// A secret appears in this entry's own name (not only in the name of
    /// a directory above it): a find for `artifacts.scan_secrets`.
    var holdsSecret: Bool

    /// ``masked`` as text (stray bytes of a name that is not UTF-8 as U+FFFD).
    var text: String { String(decoding: masked, as: UTF8.self) }
}

/// Builds entry paths from the reader's frames, masked: ``enter(_:)`` at a
/// directory frame, ``leave()`` at its leave frame.
///
/// ```swift
/// var paths = EntryPaths(masker: masker)
/// let logs = paths.name(of: Array("logs".utf8))       // "logs"
/// paths.enter(logs)
/// paths.name(of: Array("token-s3cret".utf8)).text    // "logs/token-***"
/// ```
struct EntryPaths {
    private let masker: SecretMasker
    private var directories: [ArtifactName] = []

    init(masker: SecretMasker) {
        self.masker = masker
    }

    /// The directory the walk is in (masked), or `nil` at the root.
    var current: String? { directories.last?.text }

    /// The path of `component` inside the current directory.
    func name(of component: [UInt8]) -> ArtifactName {
        let parent = directories.last
        var raw = parent?.raw ?? []
        if !raw.isEmpty { raw.append(UInt8(ascii: "/")) }
        raw += component
        guard !masker.isEmpty, contains(raw) else { return ArtifactName(raw: raw, masked: raw, holdsSecret: false) }
        // Its own name, or a secret that spans the `/` before it.
        let own = contains(component) || !(parent.map { contains($0.raw) } ?? false)
        return ArtifactName(raw: raw, masked: masker.mask(raw), holdsSecret: own)
    }

    /// `target` (a symlink's) masked, and whether it held a secret.
    func mask(target: [UInt8]) -> (masked: [UInt8], holdsSecret: Bool) {
        guard !masker.isEmpty, contains(target) else { return (target, false) }
        return (masker.mask(target), true)
    }

    mutating func enter(_ directory: ArtifactName) {
        directories.append(directory)
    }

    mutating func leave() {
        _ = directories.popLast()
    }

    private func contains(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { masker.containsSecret(in: $0) }
    }
}
