/// A signature that verified: which object carried it, its format and who signed.
///
/// ```swift
/// VerifiedSignature(object: .commit, format: .ssh, signer: "ci@example.com",
///                   key: "ED25519 SHA256:3f…")
/// ```
public struct VerifiedSignature: Sendable, Equatable {
    /// The signed object.
    public enum Object: String, Sendable {
        case commit, tag
    }

    public var object: Object
    public var format: SignatureFormat
    /// The allowed_signers principal (SSH) or the key's user id (OpenPGP).
    public var signer: String
    /// The key: `ED25519 SHA256:…` for SSH, the signing key's fingerprint for OpenPGP.
    public var key: String

    public init(object: Object, format: SignatureFormat, signer: String, key: String) {
        self.object = object
        self.format = format
        self.signer = signer
        self.key = key
    }
}
