import AgentSystem
import ConfigKeys

/// Runs one ``FetchRequest`` in this process: connect, read the advertised
/// refs, download. Used directly by ``FetchWorker/serve()`` and, without a
/// worker, by ``GitCache``.
///
/// In this process only the callbacks can enforce the deadline (they run
/// while data flows); a server that stops answering mid-read is only cut
/// off by the worker's parent (see ``FetchWorker``). `repo.ca_file` is a
/// process-wide libgit2 option: run in-process, it stays set for every
/// later HTTPS fetch of the process (the agent always uses the worker).
enum FetchSession {
    static func run(_ request: FetchRequest) -> FetchOutcome {
        let deadline = ContinuousClock.now + .milliseconds(request.timeoutMilliseconds)
        let handlers = FetchCallbacks(
            deadline: deadline, access: request.access, url: request.url, showProgress: request.showProgress)
        let outcome = run(request, handlers: handlers)
        handlers.finishProgress(succeeded: outcome.failure == nil)
        return outcome
    }

    private static func run(_ request: FetchRequest, handlers: FetchCallbacks) -> FetchOutcome {
        do throws(SourceError) { try LibGit2.initialize() } catch {
            return FetchOutcome(failure: FetchFailure(code: -1, errorClass: 0, message: error.message))
        }
        if let caFile = request.access.caFile {
            do throws(GitFailure) { try LibGit2.useCertificateAuthorities(inFile: caFile) } catch {
                return FetchOutcome(
                    failure: FetchFailure(
                        code: error.code, errorClass: error.errorClass,
                        message: "cannot use \(ConfigKey.repoCAFile): \(error.message)", permanent: true))
            }
        }
        do throws(GitFailure) {
            let repository = try Repository.openBare(at: request.repositoryPath)
            switch request.want {
            case .names(let candidates):
                let remote = try Remote.anonymous(url: request.url, in: repository)
                try remote.connect(handlers)
                let advertised = try remote.advertisedRefs()
                let present = candidates.filter { advertised[$0] != nil }
                if !present.isEmpty { try remote.fetch(present.map { "+\($0):\($0)" }, handlers) }
                return FetchOutcome(advertised: advertised.mapValues(\.hex))
            case .commit(let hex):
                do throws(GitFailure) {
                    try Remote.anonymous(url: request.url, in: repository).fetch(
                        ["+\(hex):refs/sf-agent/pinned/\(hex)"], handlers)
                } catch {
                    if handlers.failure != nil { throw error }
                    // Most servers refuse wants that are not advertised tips: fetch every branch and tag
                    // instead, on a new connection (which authenticates again), into a namespace of its
                    // own so that no branch or tag the cache remembers (policy.immutable_tags) moves.
                    handlers.newConnection()
                    try Remote.anonymous(url: request.url, in: repository)
                        .fetch(
                            ["+refs/heads/*:refs/sf-agent/all/heads/*", "+refs/tags/*:refs/sf-agent/all/tags/*"],
                            handlers)
                }
                return FetchOutcome()
            }
        } catch {
            return FetchOutcome(failure: failure(error, handlers: handlers, request: request))
        }
    }

    /// The callbacks' own reason when they aborted, else libgit2's, scrubbed.
    static func failure(_ error: GitFailure, handlers: FetchCallbacks, request: FetchRequest) -> FetchFailure {
        if var own = handlers.failure {
            own.message = scrub(own.message, request: request)
            return own
        }
        let damaged = error.isStorageFailure
        let timedOut = ContinuousClock.now >= handlers.deadline
        var message = scrub(error.message, request: request)
        let certificate = error.isCertificateFailure
        if certificate {
            let advice = CertificateAdvice.advice(
                for: message, host: CertificateAdvice.host(ofHTTPS: request.url), caFile: request.access.caFile)
            if !advice.isEmpty { message += " (\(advice))" }
        }
        // No common host key type or key exchange: the same answer every time.
        let handshake = message.contains("Unable to exchange encryption keys")
        if handshake { message += " (\(handshakeAdvice(request)))" }
        // libgit2 refused an off-site redirect (Remote.redirects): the same answer every time.
        let redirect = message.contains("cannot redirect from")
        if redirect {
            message +=
                " (the agent follows no redirect to another host; set \(ConfigKey.repoURL) to the repository's own address)"
        }
        return FetchFailure(
            code: error.code, errorClass: error.errorClass,
            message: timedOut ? "the fetch did not finish within \(ConfigKey.repoFetchTimeout) (\(message))" : message,
            timedOut: timedOut, permanent: certificate || handshake || redirect, cacheDamaged: damaged)
    }

    /// Why an SSH handshake found nothing in common, naming the pinned key types.
    static func handshakeAdvice(_ request: FetchRequest) -> String {
        guard let address = SSHAddress(request.url) else {
            return "the server and libssh2 1.10 share no key exchange algorithm"
        }
        let name = KnownHosts.name(host: address.host, port: address.port)
        let text =
            request.access.sshKnownHosts.flatMap { try? FileSystem.readFile($0) }.map {
                String(decoding: $0, as: UTF8.self)
            } ?? ""
        let pinned = KnownHosts(text: text).entries.filter { !$0.revoked && $0.hosts.contains(name) }.map(\.keyType)
        let scan =
            "compare `ssh-keyscan\(address.port.map { " -p \($0)" } ?? "") \(address.host)` with \(ConfigKey.repoSSHKnownHosts)"
        guard !pinned.isEmpty else {
            return "the server and libssh2 1.10 share no key exchange or host key algorithm; \(scan)"
        }
        return "the server offers no host key of the types pinned for \(name) in \(ConfigKey.repoSSHKnownHosts) "
            + "(\(Set(pinned).sorted().joined(separator: ", "))), or no key exchange libssh2 1.10 supports; \(scan)"
    }

    static func scrub(_ text: String, request: FetchRequest) -> String {
        var result = RepositoryURL.scrub(text, url: request.url)
        for secret in request.access.secrets { result = result.replacing(secret, with: "***") }
        return result
    }
}
