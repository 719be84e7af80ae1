import Secrets

/// Whether artifacts are searched for secret values, and what a find does.
///
/// ```swift
/// ArtifactArchiver(compression: .zstd, secretScan: SecretScan(masker: masker, failOnFind: true))
/// ```
///
/// Only text files are searched (no NUL byte in their first 64 KiB, as git
/// decides); every form ``SecretForms`` lists counts, also across blocks.
package struct SecretScan: Sendable {
    package var masker: SecretMasker
    /// Refuse to publish the archive (`fail`), or publish and list the files (`warn`).
    package var failOnFind: Bool

    package init(masker: SecretMasker, failOnFind: Bool) {
        self.masker = masker
        self.failOnFind = failOnFind
    }
}
