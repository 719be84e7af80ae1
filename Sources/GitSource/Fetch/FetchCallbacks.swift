import AgentSystem
import CGit2
import ConfigKeys

/// The state libgit2's remote callbacks share during one session: the
/// deadline, the credentials, the pinned host keys and the progress line.
///
/// libgit2 calls plain C function pointers; they find this object through
/// the `payload` pointer, which stays valid while the session holds it.
final class FetchCallbacks {
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

    /// Fills `callbacks` with this object's handlers.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.transfer_progress = { stats, payload in
            guard let payload, let stats else { return 0 }
            return Unmanaged<FetchCallbacks>.fromOpaque(payload).takeUnretainedValue().transferred(stats.pointee)
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return Unmanaged<FetchCallbacks>.fromOpaque(payload).takeUnretainedValue().checkDeadline()
        }
        callbacks.credentials = { out, url, userFromURL, allowed, payload in
            guard let payload, let out else { return -1 }
            let user = userFromURL.map { String(cString: $0) }
            let asking = url.map { String(cString: $0) } ?? ""
            return Unmanaged<FetchCallbacks>.fromOpaque(payload).takeUnretainedValue().credential(
                out, for: asking, user: user, allowed: allowed)
        }
        callbacks.certificate_check = { cert, valid, host, payload in
            guard let payload, let cert else { return -1 }
            let name = host.map { String(cString: $0) } ?? ""
            return Unmanaged<FetchCallbacks>.fromOpaque(payload).takeUnretainedValue().certificate(
                cert, valid: valid != 0, host: name)
        }
    }

    /// Ends the progress display: `done`, or `stopped` when the session failed.
    func finishProgress(succeeded: Bool) {
        progress?.finish(succeeded: succeeded)
    }

    // MARK: - Handlers

    func checkDeadline() -> Int32 {
        guard ContinuousClock.now >= deadline else { return 0 }
        return abort(
            FetchFailure(
                code: GIT_EUSER.rawValue, errorClass: 0,
                message: "the fetch did not finish within \(ConfigKey.repoFetchTimeout)",
                timedOut: true))
    }

    private func transferred(_ stats: git_indexer_progress) -> Int32 {
        progress?.update(
            ProgressMeter.Counts(
                received: Int(stats.received_objects), total: Int(stats.total_objects),
                bytes: Int(stats.received_bytes),
                indexedDeltas: Int(stats.indexed_deltas), totalDeltas: Int(stats.total_deltas)))
        return checkDeadline()
    }

    private func credential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, for asking: String, user: String?,
        allowed: UInt32
    ) -> Int32 {
        if checkDeadline() != 0 { return GIT_EUSER.rawValue }
        if let origin = RepositoryURL.httpOrigin(url), RepositoryURL.httpOrigin(asking) != origin {
            return refuse(
                "\(RepositoryURL.redacted(asking)) asks for credentials, and the agent sends them only to the scheme, host and port of \(ConfigKey.repoURL) (\(origin)); was the request redirected? Set \(ConfigKey.repoURL) to the repository's own address"
            )
        }
        let sshUser = user ?? "git"
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, sshUser)
        }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            guard let key = access.sshKeyFile else {
                return refuse("the SSH server asks for a key but \(ConfigKey.repoSSHKeyFile) is not set")
            }
            guard !offered.sshKey else {
                return refuse(
                    "the SSH server refused the key in \(ConfigKey.repoSSHKeyFile) (\(key)) for user \(sshUser)")
            }
            offered.sshKey = true
            return git_credential_ssh_key_new(out, sshUser, nil, key, nil)
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            guard let httpUser = access.httpUser, let password = access.httpPassword else {
                return refuse("the server requires authentication (HTTP 401) but \(ConfigKey.repoTokenFile) is not set")
            }
            guard !offered.password else {
                return refuse(
                    "the server refused the credentials in \(ConfigKey.repoTokenFile) (HTTP 401, user \(httpUser))")
            }
            offered.password = true
            return git_credential_userpass_plaintext_new(out, httpUser, password)
        }
        return refuse("the server asks for a kind of authentication the agent does not offer")
    }

    /// A new connection authenticates afresh: each credential may be offered once more.
    func newConnection() {
        offered = (false, false)
    }

    private func refuse(_ message: String) -> Int32 {
        abort(
            FetchFailure(
                code: GIT_EAUTH.rawValue, errorClass: Int32(GIT_ERROR_NET.rawValue), message: message, permanent: true))
    }

    private func certificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
        if checkDeadline() != 0 { return GIT_EUSER.rawValue }
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            return GIT_PASSTHROUGH.rawValue  // HTTPS: mbedTLS's verdict against the CAs stands.
        }
        let hostKey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey, hostKey.hostkey_len > 0
        else {
            return refuseHost("the SSH server's host key could not be read")
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len))
        let sha = withUnsafeBytes(of: hostKey.hash_sha256) { Array($0) }
        let fingerprint = KnownHosts.fingerprint(sha256: sha)
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
        case .trusted: return 0
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

    private func refuseHost(_ message: String) -> Int32 {
        abort(
            FetchFailure(
                code: GIT_ECERTIFICATE.rawValue, errorClass: Int32(GIT_ERROR_SSH.rawValue), message: message,
                permanent: true))
    }

    private func abort(_ failure: FetchFailure) -> Int32 {
        if self.failure == nil { self.failure = failure }
        git_error_set_str(
            failure.errorClass == 0 ? Int32(GIT_ERROR_CALLBACK.rawValue) : failure.errorClass, failure.message)
        return failure.code == 0 ? GIT_EUSER.rawValue : failure.code
    }
}
