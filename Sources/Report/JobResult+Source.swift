extension JobResult {
    /// How the job's commit was obtained and checked: `result.json`'s `source`.
    ///
    /// ```swift
    /// JobResult.Source(refName: "refs/tags/v1", tag: "9a3c…", fetched: true, attempts: 1,
    ///                  rebuilt: false, checkoutReused: false)
    /// ```
    public struct Source: Sendable, Equatable {
        /// The signature that vouched for the commit (or its tag).
        public struct Signature: Sendable, Equatable {
            /// `commit` or `tag`: which object carried it.
            public var object: String
            /// `ssh` or `gpg`.
            public var format: String
            /// Who signed: the allowed_signers principal (SSH) or the key's user id (OpenPGP).
            public var signer: String
            /// The key: `ED25519 SHA256:…` (SSH) or the signing key's fingerprint (OpenPGP).
            public var key: String
            public init(object: String, format: String, signer: String, key: String) {
                self.object = object
                self.format = format
                self.signer = signer
                self.key = key
            }
        }

        /// The full ref name the job's ref resolved to; nil for a commit id.
        public var refName: String?
        /// The annotated tag object's id, when the ref was one (the commit is `commit`).
        public var tag: String?
        /// Whether the server (or local source repository) was read.
        public var fetched: Bool
        /// Network attempts made (0: none needed).
        public var attempts: Int
        /// Whether a damaged cache repository or checkout was rebuilt.
        public var rebuilt: Bool
        /// Whether an existing checkout was used.
        public var checkoutReused: Bool
        /// Whether the commit has a `.gitmodules` file (submodules are never fetched).
        public var submodules: Bool
        /// The verified signature, when `policy.verify_signatures` is on.
        public var signature: Signature?
        /// The verification rules the commit passed, as sentences.
        public var rulesPassed: [String]

        public init(
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
