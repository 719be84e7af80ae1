import AgentSystem
import ConfigKeys

/// The rules that decide which repository and ref a job may run.
///
/// Pure: values in, a decision out.
///
/// ```swift
/// let policy = SourcePolicy(allowedRepos: ["git://git.internal/*"], allowedRefs: [], requirePinnedCommit: false)
/// try policy.checkRepository("git://git.internal/scripts")
/// let ref = try policy.effectiveRef(configured: "main", requested: nil)   // "main"
/// ```
package struct SourcePolicy: Sendable, Equatable {
    /// Glob patterns over the repository URL; empty allows any.
    package var allowedRepos: [String]
    /// Glob patterns a job's `SCRIPTS_REF` must match; empty forbids `SCRIPTS_REF`.
    package var allowedRefs: [String]
    /// Only full 40-hex commit ids may run.
    package var requirePinnedCommit: Bool

    package init(allowedRepos: [String], allowedRefs: [String], requirePinnedCommit: Bool) {
        self.allowedRepos = allowedRepos
        self.allowedRefs = allowedRefs
        self.requirePinnedCommit = requirePinnedCommit
    }

    /// Refuses a repository outside `policy.allowed_repos`. `displayURL` is
    /// what the message shows (credentials stripped).
    package func checkRepository(_ url: String, displayURL: String? = nil) throws(PolicyViolation) {
        guard !allowedRepos.isEmpty, !Glob.matchesAny(allowedRepos, url) else { return }
        throw PolicyViolation(
            .notAllowed,
            rule: .key(.policyAllowedRepos),
            message:
                "Repository \(displayURL ?? url) is not allowed: it matches none of \(ConfigKey.policyAllowedRepos) (\(allowedRepos.joined(separator: ", ")))."
        )
    }

    /// The ref the job runs: the job's own `SCRIPTS_REF` when policy allows
    /// it, else the configured one; then the pinning rule.
    package func effectiveRef(configured: String, requested: String?) throws(PolicyViolation) -> String {
        let ref: String
        if let requested {
            guard !allowedRefs.isEmpty else {
                throw PolicyViolation(
                    .notAllowed,
                    rule: .key(.policyAllowedRefs),
                    message:
                        "SCRIPTS_REF `\(requested)` is not allowed: \(ConfigKey.policyAllowedRefs) is empty, so jobs may not choose their ref. Set \(ConfigKey.policyAllowedRefs) to permit it."
                )
            }
            guard Glob.matchesAny(allowedRefs, requested) else {
                throw PolicyViolation(
                    .notAllowed,
                    rule: .key(.policyAllowedRefs),
                    message:
                        "SCRIPTS_REF `\(requested)` is not allowed: it matches none of \(ConfigKey.policyAllowedRefs) (\(allowedRefs.joined(separator: ", ")))."
                )
            }
            ref = requested
        } else {
            ref = configured
        }
        if requirePinnedCommit && !Self.isFullCommitID(ref) {
            throw PolicyViolation(
                .notPinned,
                rule: .key(.policyRequirePinnedCommit),
                message:
                    "Ref `\(ref)` is not a full 40-hex commit id, and \(ConfigKey.policyRequirePinnedCommit) is on. Pin the commit."
            )
        }
        return ref
    }

    /// Whether `text` is a full 40-hex commit id.
    package static func isFullCommitID(_ text: String) -> Bool {
        text.utf8.count == 40
            && text.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0)
            }
    }
}
