import CGit2

/// An anonymous `git_remote*` for one URL, freed (and disconnected) in deinit.
///
/// Fetches never follow tags automatically, never prune and never write
/// `FETCH_HEAD`: the agent asks for exactly the refs it needs. They never
/// follow a redirect to another host.
final class Remote {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { git_remote_free(pointer) }

    /// An in-memory remote for `url` in `repository`.
    static func anonymous(url: String, in repository: Repository) throws(GitFailure) -> Remote {
        var out: OpaquePointer?
        try check("git_remote_create_anonymous", git_remote_create_anonymous(&out, repository.pointer, url))
        guard let out else {
            throw GitFailure(code: -1, errorClass: 0, message: "git_remote_create_anonymous returned no remote")
        }
        return Remote(out)
    }

    /// No redirect to another host, at any request: libgit2 1.5 follows one
    /// on the first request by default, and the server it leads to would be
    /// asked for nothing less than the repository (and offered credentials).
    static let redirects = GIT_REMOTE_REDIRECT_NONE

    /// Connects for fetching, so that ``advertisedRefs()`` can be read;
    /// `handlers` supplies credentials, host-key checks and the deadline.
    func connect(_ handlers: FetchCallbacks?) throws(GitFailure) {
        var options = git_remote_connect_options()
        try check(
            "git_remote_connect_options_init",
            git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION)))
        handlers?.install(into: &options.callbacks)
        options.follow_redirects = Self.redirects
        try withExtendedLifetime(handlers) { () throws(GitFailure) in
            try check("git_remote_connect", git_remote_connect_ext(pointer, GIT_DIRECTION_FETCH, &options))
        }
    }

    /// The refs the server advertised on connect, by full name (peeled
    /// `^{}` entries left out). Requires ``connect()``.
    func advertisedRefs() throws(GitFailure) -> [String: ObjectID] {
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try check("git_remote_ls", git_remote_ls(&heads, &count, pointer))
        var refs: [String: ObjectID] = [:]
        guard let heads else { return refs }
        for index in 0..<count {
            guard let head = heads[index], let name = head.pointee.name else { continue }
            let text = String(cString: name)
            if text.hasSuffix("^{}") { continue }
            refs[text] = ObjectID(head.pointee.oid)
        }
        return refs
    }

    /// Fetches `refspecs` (forced ones start with `+`), downloading only
    /// the objects they need and updating the local refs they map to.
    func fetch(_ refspecs: [String], _ handlers: FetchCallbacks? = nil) throws(GitFailure) {
        var options = git_fetch_options()
        try check("git_fetch_options_init", git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)))
        handlers?.install(into: &options.callbacks)
        options.prune = GIT_FETCH_NO_PRUNE
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.follow_redirects = Self.redirects
        try withExtendedLifetime(handlers) { () throws(GitFailure) in
            try withStringArray(refspecs) { (array) throws(GitFailure) in
                try check("git_remote_fetch", git_remote_fetch(pointer, array, &options, "sf-agent fetch"))
            }
        }
    }
}
