extension JobResult {
    /// How the job's commit was obtained and checked: `result.json`'s `source`.
    ///
    /// ```swift
    /// JobResult.Source(refName: "refs/tags/v1", tag: "9a3c…", fetched: true, attempts: 1,
    ///                  rebuilt: false, checkoutReused: false)
    /// ```
    package struct Source: Sendable, Equatable {
        /// The signature that vouched for the commit (or its tag).
        package struct Signature: Sendable, Equatable {
            /// `commit` or `tag`: which object carried it.
            package var object: String
            /// `ssh` or `gpg`.
            package var format: String
            /// Who signed: the allowed_signers principal (SSH) or the key's user id (OpenPGP).
            package var signer: String
            /// The key: `ED25519 SHA256:…` (SSH) or the signing key's fingerprint (OpenPGP).
            package var key: String
            package init(object: String, format: String, signer: String, key: String) {
                self.object = object
                self.format = format
                self.signer = signer
                self.key = key
            }
        }

        /// The full ref name the job's ref resolved to; nil for a commit id.
        package var refName: String?
        /// The annotated tag object's id, when the ref was one (the commit is `commit`).
        package var tag: String?
        /// Whether the server (or local source repository) was read.
        package var fetched: Bool
        /// Network attempts made (0: none needed).
        package var attempts: Int
        /// Whether a damaged cache repository or checkout was rebuilt.
        package var rebuilt: Bool
        /// Whether an existing checkout was used.
        package var checkoutReused: Bool
        /// Whether the commit has a `.gitmodules` file (submodules are never fetched).
        package var submodules: Bool
        /// The verified signature, when `policy.verify_signatures` is on.
        package var signature: Signature?
        /// The verification rules the commit passed, as sentences.
        package var rulesPassed: [String]

        package init(
            refName: String?, tag: String?, fetched: Bool, attempts: Int, rebuilt: Bool, checkoutReused: Bool,
            submodules: Bool = false, signature: Signature? = nil, rulesPassed: [String] = []
        ) {
            self.refName = refName
            self.tag = tag
            self.fetched = fetched
            self.attempts = attempts
            self.rebuilt = rebuilt
            self.checkoutReused = checkoutReused
            self.submodules = submodules
            self.signature = signature
            self.rulesPassed = rulesPassed
        }
    }
}
