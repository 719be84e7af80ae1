import AgentSystem
import ConfigKeys

/// The state libgit2's remote callbacks share during one session: the
/// deadline, the credentials, the pinned host keys and the progress line.
///
/// ``Remote`` hands each callback to this object (see ``RemoteCallbacks``).
final class FetchCallbacks: RemoteCallbackHandler {
    let deadline: ContinuousClock.Instant
    let access: GitAccess
    let url: String
    let progress: FetchProgress?
    /// Set when a callback aborted the session, and why.
    var failure: FetchFailure?
    /// Credentials handed to libgit2 so far. libgit2 asks again after every
    /// refusal (an SSH auth failure, each HTTP 401) for as long as the
    /// callback answers: each kind is given once, then the session is aborted.
    private var offered = (sshKey: false, password: false)

    init(deadline: ContinuousClock.Instant, access: GitAccess, url: String, showProgress: Bool) {
        self.deadline = deadline
        self.access = access
        self.url = url
        self.progress = showProgress ? FetchProgress() : nil
    }

    /// Ends the progress display: `done`, or `stopped` when the session failed.
    func finishProgress(succeeded: Bool) {
        progress?.finish(succeeded: succeeded)
    }

    // MARK: - Handlers

    private func checkDeadline() -> CallbackAnswer {
        guard ContinuousClock.now >= deadline else { return .proceed }
        return .abort(record(.stopped("the fetch did not finish within \(ConfigKey.repoFetchTimeout)"), timedOut: true))
    }

    func transferred(_ stats: TransferProgress) -> CallbackAnswer {
        progress?.update(
            ProgressMeter.Counts(
                received: stats.receivedObjects, total: stats.totalObjects, bytes: stats.receivedBytes,
                indexedDeltas: stats.indexedDeltas, totalDeltas: stats.totalDeltas))
        return checkDeadline()
    }

    func serverProgress() -> CallbackAnswer {
        checkDeadline()
    }

    func credential(for asking: String, user: String?, allowed: CredentialTypes) -> CredentialAnswer {
        if case .abort(let late) = checkDeadline() { return .abort(late) }
        if let origin = RepositoryURL.httpOrigin(url), RepositoryURL.httpOrigin(asking) != origin {
            return refuse(
                "\(RepositoryURL.redacted(asking)) asks for credentials, and the agent sends them only to the scheme, host and port of \(ConfigKey.repoURL) (\(origin)); was the request redirected? Set \(ConfigKey.repoURL) to the repository's own address"
            )
        }
        let sshUser = user ?? "git"
        if allowed.contains(.username) {
            return .username(sshUser)
        }
        if allowed.contains(.sshKey) {
            guard let key = access.sshKeyFile else {
                return refuse("the SSH server asks for a key but \(ConfigKey.repoSSHKeyFile) is not set")
            }
            guard !offered.sshKey else {
                return refuse(
                    "the SSH server refused the key in \(ConfigKey.repoSSHKeyFile) (\(key)) for user \(sshUser)")
            }
            offered.sshKey = true
            return .sshKey(user: sshUser, privateKeyFile: key)
        }
        if allowed.contains(.password) {
            guard let httpUser = access.httpUser, let password = access.httpPassword else {
                return refuse("the server requires authentication (HTTP 401) but \(ConfigKey.repoTokenFile) is not set")
            }
            guard !offered.password else {
                return refuse(
                    "the server refused the credentials in \(ConfigKey.repoTokenFile) (HTTP 401, user \(httpUser))")
            }
            offered.password = true
            return .password(user: httpUser, password: password)
        }
        return refuse("the server asks for a kind of authentication the agent does not offer")
    }

    /// A new connection authenticates afresh: each credential may be offered once more.
    func newConnection() {
        offered = (false, false)
    }

    private func refuse(_ message: String) -> CredentialAnswer {
        .abort(record(.authenticationRefused(message), permanent: true))
    }

    func certificate(_ certificate: RemoteCertificate, host: String) -> CertificateAnswer {
        if case .abort(let late) = checkDeadline() { return .abort(late) }
        guard case .sshHostKey(let hostKey) = certificate else {
            return .libraryVerdict  // HTTPS: mbedTLS's verdict against the CAs stands.
        }
        guard let hostKey else {
            return refuseHost("the SSH server's host key could not be read")
        }
        let key = hostKey.key
        let fingerprint = KnownHosts.fingerprint(sha256: hostKey.sha256)
        let name = KnownHosts.name(host: host, port: SSHAddress(url)?.port)
        let described = "\(name) (\(KnownHosts.keyType(of: key)) \(fingerprint))"
        guard let file = access.sshKnownHosts else {
            return refuseHost(
                "the host key of \(described) cannot be checked: \(ConfigKey.repoSSHKnownHosts) is not set, and SSH host keys must be pinned"
            )
        }
        let text: String
        do { text = String(decoding: try FileSystem.readFile(file), as: UTF8.self) } catch {
            return refuseHost("cannot read \(ConfigKey.repoSSHKnownHosts): \(error)")
        }
        switch KnownHosts(text: text).check(hostName: name, key: key) {
        case .trusted: return .trusted
        case .unknownHost:
            return refuseHost(
                "the host key of \(described) is not in \(ConfigKey.repoSSHKnownHosts) (\(file)); refusing an unknown host"
            )
        case .changed:
            return refuseHost(
                "the host key of \(described) does not match the key pinned for it in \(ConfigKey.repoSSHKnownHosts) (\(file)); it may have changed or be an impostor"
            )
        case .revoked:
            return refuseHost(
                "the host key of \(described) is marked @revoked in \(ConfigKey.repoSSHKnownHosts) (\(file))")
        }
    }

    private func refuseHost(_ message: String) -> CertificateAnswer {
        .abort(record(.hostKeyRefused(message), permanent: true))
    }

    /// Keeps the first reason the session was aborted for; returns `reason`, for libgit2.
    private func record(_ reason: GitFailure, timedOut: Bool = false, permanent: Bool = false) -> GitFailure {
        if failure == nil {
            failure = FetchFailure(
                code: reason.code, errorClass: reason.errorClass, message: reason.message, timedOut: timedOut,
                permanent: permanent)
        }
        return reason
    }
}
