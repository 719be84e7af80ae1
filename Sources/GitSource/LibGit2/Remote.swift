import CGit2

/// An anonymous `git_remote*` for one URL, freed (and disconnected) in deinit.
///
/// Fetches never follow tags automatically, never prune and never write
/// `FETCH_HEAD`: the agent asks for exactly the refs it needs. They never
/// follow a redirect to another host.
final class Remote {
    let pointer: OpaquePointer
    /// The callbacks last installed: libgit2's transport keeps their payload
    /// between calls, so it lives as long as the remote.
    private var callbacks: RemoteCallbacks?

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
    /// `handler` supplies credentials, host-key checks and the deadline.
    func connect(_ handler: (any RemoteCallbackHandler)?) throws(GitFailure) {
        var options = git_remote_connect_options()
        try check(
            "git_remote_connect_options_init",
            git_remote_connect_options_init(&options, UInt32(GIT_REMOTE_CONNECT_OPTIONS_VERSION)))
        install(handler, into: &options.callbacks)
        options.follow_redirects = Self.redirects
        try check("git_remote_connect", git_remote_connect_ext(pointer, GIT_DIRECTION_FETCH, &options))
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
    func fetch(_ refspecs: [String], _ handler: (any RemoteCallbackHandler)? = nil) throws(GitFailure) {
        var options = git_fetch_options()
        try check("git_fetch_options_init", git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)))
        install(handler, into: &options.callbacks)
        options.prune = GIT_FETCH_NO_PRUNE
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.update_fetchhead = 0
        options.follow_redirects = Self.redirects
        try withStringArray(refspecs) { (array) throws(GitFailure) in
            try check("git_remote_fetch", git_remote_fetch(pointer, array, &options, "sf-agent fetch"))
        }
    }

    /// Points `callbacks` at `handler` (none: libgit2's defaults).
    private func install(_ handler: (any RemoteCallbackHandler)?, into callbacks: inout git_remote_callbacks) {
        guard let handler else { return }
        let installed = RemoteCallbacks(handler)
        installed.install(into: &callbacks)
        self.callbacks = installed
    }
}
