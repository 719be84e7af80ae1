import AgentSystem

/// A secret that cannot be read or handed to a script; the sentence names
/// the file or the key to fix.
///
/// ```swift
/// print(SecretsError(.unreadable, "Cannot read secret /run/secrets/x: Permission denied."))
/// ```
package struct SecretsError: AgentError {
    /// What went wrong.
    package enum Code: String, Sendable, CaseIterable {
        /// A secrets directory or file could not be read.
        case unreadable
        /// A secret is larger than ``SecretStore/maximumSecretBytes``.
        case tooLarge
        /// A secret cannot be exposed the configured way (a NUL byte in an
        /// environment variable, two secrets with one variable name).
        case notExposable
        /// A `secrets.allow` entry that is not `SCRIPT_GLOB:SECRET_GLOB`.
        case invalidRule
        /// The per-job secrets folder could not be written or removed.
        case filesFailed
    }

    package var code: Code
    /// A full sentence.
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
