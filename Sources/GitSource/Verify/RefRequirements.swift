/// What a resolved commit must satisfy before it is checked out: the
/// `policy.require_ancestor_of` and `policy.verify_signatures` rules.
///
/// ```swift
/// let requirements = RefRequirements(ancestorOf: "refs/heads/main", signatures: .commit,
///                                    allowedSigners: "/etc/sf-agent/allowed_signers")
/// let cache = GitCache(directory: dir, requirements: requirements)
/// ```
package struct RefRequirements: Sendable, Equatable {
    /// `policy.verify_signatures`: which object must carry a good signature.
    package enum Signatures: String, Sendable, CaseIterable {
        /// No signature is checked.
        case off
        /// The commit's own signature.
        case commit
        /// The annotated tag's signature (the ref must be an annotated tag).
        case tag
        /// The tag's signature when the ref is an annotated tag, else (or when it fails) the commit's.
        case either
    }

    /// A full branch name the commit must be reachable from, as just fetched; nil: no rule.
    package var ancestorOf: String?
    package var signatures: Signatures
    /// An OpenSSH `allowed_signers` file (`ssh-keygen -Y verify`).
    package var allowedSigners: String?
    /// An OpenPGP keyring (`gpgv --keyring`).
    package var gpgKeyring: String?
    /// `policy.immutable_tags`: a tag the cache knew at one commit may not move to another.
    package var immutableTags: Bool
    /// Limit for each run of `ssh-keygen` or `gpgv`.
    package var toolTimeout: Duration

    /// Requirements; the defaults check nothing.
    package init(
        ancestorOf: String? = nil, signatures: Signatures = .off, allowedSigners: String? = nil,
        gpgKeyring: String? = nil, immutableTags: Bool = true, toolTimeout: Duration = .seconds(60)
    ) {
        self.ancestorOf = ancestorOf
        self.signatures = signatures
        self.allowedSigners = allowedSigners
        self.gpgKeyring = gpgKeyring
        self.immutableTags = immutableTags
        self.toolTimeout = toolTimeout
    }

    /// Whether a pinned commit needs no check beyond being in the cache.
    package var needsNoCheck: Bool { ancestorOf == nil && signatures == .off }
}
