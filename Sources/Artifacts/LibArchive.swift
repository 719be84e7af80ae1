import CArchive

/// libarchive, opened on first use: the agent does not link it, so a start
/// that archives nothing (`sf-agent version`, `check`) never maps it and its
/// dependencies (libxml2, ICU, nettle, ...).
enum LibArchive {
    /// Opens libarchive before its first call.
    ///
    /// - Throws: ``ArtifactError`` with `code`, naming `path` and why the
    ///   library cannot be loaded (the runner image installs `libarchive13`).
    static func load(for path: String, code: ArtifactError.Code) throws(ArtifactError) {
        if let problem = sf_archive_load() {
            throw ArtifactError(
                code: code, path: path,
                reason: "libarchive cannot be loaded (\(String(cString: problem))); install Debian's libarchive13")
        }
    }
}
