/// A signature that verified: which object carried it, its format and who signed.
///
/// ```swift
/// VerifiedSignature(object: .commit, format: .ssh, signer: "ci@example.com",
///                   key: "ED25519 SHA256:3f…")
/// ```
package struct VerifiedSignature: Sendable, Equatable {
    /// The signed object.
    package enum Object: String, Sendable {
        case commit, tag
    }

    package var object: Object
    package var format: SignatureFormat
    /// The allowed_signers principal (SSH) or the key's user id (OpenPGP).
    package var signer: String
    /// The key: `ED25519 SHA256:…` for SSH, the signing key's fingerprint for OpenPGP.
    package var key: String

    package init(object: Object, format: SignatureFormat, signer: String, key: String) {
        self.object = object
        self.format = format
        self.signer = signer
        self.key = key
    }
}
