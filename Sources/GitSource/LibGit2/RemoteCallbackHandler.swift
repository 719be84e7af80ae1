import CGit2

/// Answers libgit2's remote callbacks during one ``Remote/connect(_:)`` or
/// ``Remote/fetch(_:_:)``: progress, credentials and certificates.
///
/// The methods run on the fetching thread, inside libgit2. An `.abort`
/// answer stops the operation, which then throws a ``GitFailure`` with
/// the answer's code and message.
///
/// ```swift
/// try remote.fetch(["+refs/heads/main:refs/heads/main"], handler)
/// ```
protocol RemoteCallbackHandler: AnyObject {
    /// Objects arrived; called for many of them, so it must stay cheap.
    func transferred(_ progress: TransferProgress) -> CallbackAnswer
    /// The server sent progress text (which the agent does not show).
    func serverProgress() -> CallbackAnswer
    /// The server at `url` asks for a credential of one of the `allowed`
    /// types; `user` is the user name in the URL, if any.
    func credential(for url: String, user: String?, allowed: CredentialTypes) -> CredentialAnswer
    /// The server for `host` presented `certificate`.
    func certificate(_ certificate: RemoteCertificate, host: String) -> CertificateAnswer
}

/// Whether the operation goes on after a callback.
enum CallbackAnswer {
    case proceed
    /// Stops it with `failure` (its message becomes libgit2's error).
    case abort(GitFailure)
}

/// How far a download has come, in objects, bytes and resolved deltas.
struct TransferProgress: Sendable {
    var receivedObjects: Int
    var totalObjects: Int
    var receivedBytes: Int
    var indexedDeltas: Int
    var totalDeltas: Int
}

/// The kinds of credential a server accepts.
struct CredentialTypes: OptionSet, Sendable {
    var rawValue: UInt32

    /// A user name alone (SSH asks for it before the key when the URL names no user).
    static let username = CredentialTypes(rawValue: GIT_CREDENTIAL_USERNAME.rawValue)
    /// An SSH key pair from files.
    static let sshKey = CredentialTypes(rawValue: GIT_CREDENTIAL_SSH_KEY.rawValue)
    /// A user name and password (HTTP basic authentication).
    static let password = CredentialTypes(rawValue: GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue)
}

/// The credential to give a server.
enum CredentialAnswer {
    case username(String)
    /// The private key file (the public key is derived from it); no passphrase.
    case sshKey(user: String, privateKeyFile: String)
    case password(user: String, password: String)
    /// Gives none and stops the operation.
    case abort(GitFailure)
}

/// What a server presented to prove who it is.
enum RemoteCertificate {
    /// A TLS certificate (HTTPS), already checked by the TLS library.
    case tls
    /// An SSH host key; nil when libssh2 could not provide it raw.
    case sshHostKey(SSHHostKey?)
}

/// An SSH server's host key.
struct SSHHostKey: Sendable {
    /// The key blob, as in `known_hosts` (base64-decoded).
    var key: [UInt8]
    /// The SHA-256 of `key`.
    var sha256: [UInt8]
}

/// The verdict on a server's certificate or host key.
enum CertificateAnswer {
    case trusted
    /// The TLS library's own verdict stands.
    case libraryVerdict
    /// Refuses the server and stops the operation.
    case abort(GitFailure)
}
