import CGit2

/// Process-wide libgit2 set-up, done exactly once.
///
/// - libgit2 opened (the agent does not link it: see `cgit2.h`), then `git_libgit2_init()`;
/// - owner validation off: the cache may belong to another uid in a container;
/// - empty configuration search paths, so that the host's `/etc/gitconfig`,
///   `~/.gitconfig` and `$XDG_CONFIG_HOME/git/config` cannot change what the
///   agent fetches (no `url.*.insteadOf`, no proxies, no credential helpers);
/// - objects are not hashed again on every read (as the git CLI does not):
///   every object fetched into the cache was hashed by the indexer as it
///   arrived, which is what names it, and zlib's checksum catches damage on
///   disk. Reading blobs for a checkout spent about a fifth of its time
///   re-hashing them. Objects read in place from a local source (an
///   alternate, never indexed) are: see ``verifyObjectHashes()``.
enum LibGit2 {
    /// Initializes libgit2 on first use; later calls only report the outcome.
    static func initialize() throws(SourceError) {
        if let problem = setUp {
            throw SourceError(.cacheFailed, "Cannot initialize libgit2: \(problem).")
        }
    }

    /// Hashes every object again as it is read, from now on in this process:
    /// for a local source, whose objects directory is read in place and was
    /// never indexed, so a swapped object cannot pass for a signed one.
    static func verifyObjectHashes() throws(SourceError) {
        try initialize()
        let code = sf_git_enable_strict_hash_verification(1)
        if code < 0 {
            throw SourceError(
                .cacheFailed,
                "Cannot initialize libgit2: \(GitFailure.last(code, calling: "git_libgit2_opts(ENABLE_STRICT_HASH_VERIFICATION)").message)."
            )
        }
    }

    /// Trusts the CA certificates in `file` (PEM) for HTTPS instead of the
    /// system's, from now on in this process (a libgit2-wide option).
    static func useCertificateAuthorities(inFile file: String) throws(GitFailure) {
        if sf_git_set_ssl_cert_file(file) < 0 {
            throw GitFailure.last(-1, calling: "git_libgit2_opts(SET_SSL_CERT_LOCATIONS)")
        }
    }

    /// nil when set-up succeeded, else what failed. Swift runs this once, thread-safely.
    private static let setUp: String? = {
        // Opened here, not at start: a warm pinned job and most commands need no git.
        if let problem = sf_git2_load() {
            return "the library cannot be loaded (\(String(cString: problem))); install Debian's libgit2-1.5"
        }
        let initialized = git_libgit2_init()
        if initialized < 0 { return GitFailure.last(initialized, calling: "git_libgit2_init").message }
        var code = sf_git_set_owner_validation(0)
        if code < 0 { return GitFailure.last(code, calling: "git_libgit2_opts(SET_OWNER_VALIDATION)").message }
        code = sf_git_enable_strict_hash_verification(0)
        if code < 0 {
            return GitFailure.last(code, calling: "git_libgit2_opts(ENABLE_STRICT_HASH_VERIFICATION)").message
        }
        let levels = [
            GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
        ]
        for level in levels {
            code = sf_git_set_search_path(Int32(level.rawValue), "")
            if code < 0 { return GitFailure.last(code, calling: "git_libgit2_opts(SET_SEARCH_PATH)").message }
        }
        return nil
    }()
}
