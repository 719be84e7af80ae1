import CGit2

/// The `payload` of libgit2's remote callbacks for one connect or fetch:
/// the C trampolines find the ``RemoteCallbackHandler`` through it.
///
/// It must outlive the libgit2 call it is installed for (``Remote`` keeps
/// it alive across the call).
final class RemoteCallbacks {
    let handler: any RemoteCallbackHandler

    init(_ handler: any RemoteCallbackHandler) { self.handler = handler }

    /// Fills `callbacks` with trampolines to ``handler``.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.transfer_progress = { stats, payload in
            guard let payload, let stats else { return 0 }
            return RemoteCallbacks.code(
                RemoteCallbacks.handler(payload).transferred(TransferProgress(stats.pointee)))
        }
        callbacks.sideband_progress = { _, _, payload in
            guard let payload else { return 0 }
            return RemoteCallbacks.code(RemoteCallbacks.handler(payload).serverProgress())
        }
        callbacks.credentials = { out, url, userFromURL, allowed, payload in
            guard let payload, let out else { return -1 }
            let user = userFromURL.map { String(cString: $0) }
            let asking = url.map { String(cString: $0) } ?? ""
            let answer = RemoteCallbacks.handler(payload).credential(
                for: asking, user: user, allowed: CredentialTypes(rawValue: allowed))
            switch answer {
            case .username(let name): return git_credential_username_new(out, name)
            case .sshKey(let name, let key): return git_credential_ssh_key_new(out, name, nil, key, nil)
            case .password(let name, let password): return git_credential_userpass_plaintext_new(out, name, password)
            case .abort(let failure): return RemoteCallbacks.abort(failure)
            }
        }
        callbacks.certificate_check = { cert, _, host, payload in
            guard let payload, let cert else { return -1 }
            let name = host.map { String(cString: $0) } ?? ""
            switch RemoteCallbacks.handler(payload).certificate(RemoteCertificate(cert), host: name) {
            case .trusted: return 0
            case .libraryVerdict: return GIT_PASSTHROUGH.rawValue
            case .abort(let failure): return RemoteCallbacks.abort(failure)
            }
        }
    }

    private static func handler(_ payload: UnsafeMutableRawPointer) -> any RemoteCallbackHandler {
        Unmanaged<RemoteCallbacks>.fromOpaque(payload).takeUnretainedValue().handler
    }

    private static func code(_ answer: CallbackAnswer) -> Int32 {
        switch answer {
        case .proceed: 0
        case .abort(let failure): abort(failure)
        }
    }

    /// Sets libgit2's error to `failure`'s and returns the code that stops the operation.
    private static func abort(_ failure: GitFailure) -> Int32 {
        git_error_set_str(
            failure.errorClass == 0 ? Int32(GIT_ERROR_CALLBACK.rawValue) : failure.errorClass, failure.message)
        return failure.code == 0 ? GIT_EUSER.rawValue : failure.code
    }
}

extension TransferProgress {
    fileprivate init(_ stats: git_indexer_progress) {
        self.init(
            receivedObjects: Int(stats.received_objects), totalObjects: Int(stats.total_objects),
            receivedBytes: Int(stats.received_bytes), indexedDeltas: Int(stats.indexed_deltas),
            totalDeltas: Int(stats.total_deltas))
    }
}

extension RemoteCertificate {
    /// Reads libgit2's certificate: the raw key and its SHA-256 for an SSH host key.
    fileprivate init(_ cert: UnsafeMutablePointer<git_cert>) {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            self = .tls
            return
        }
        let hostKey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostKey.hostkey, hostKey.hostkey_len > 0
        else {
            self = .sshHostKey(nil)
            return
        }
        self = .sshHostKey(
            SSHHostKey(
                key: Array(UnsafeRawBufferPointer(start: raw, count: hostKey.hostkey_len)),
                sha256: withUnsafeBytes(of: hostKey.hash_sha256) { Array($0) }))
    }
}
