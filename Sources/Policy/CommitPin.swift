import ConfigKeys

/// `SCRIPTS_COMMIT`: the commit a job expects its ref to resolve to.
///
/// ```swift
/// try CommitPin.check(expected: "4b1c…", resolved: "4b1c…", ref: "v1.4.2")   // passes
/// ```
package enum CommitPin {
    /// The name a refusal gives as its rule.
    package static let rule = RuleName.jobVariable("SCRIPTS_COMMIT")

    /// Passes when `expected` is nil or names `resolved` (case-insensitively);
    /// otherwise a refusal naming both commits and the ref.
    package static func check(expected: String?, resolved: String, ref: String) throws(PolicyViolation) {
        guard let expected, expected.lowercased() != resolved.lowercased() else { return }
        throw PolicyViolation(
            .commitMismatch,
            rule: rule,
            message:
                "The ref `\(ref)` resolved to commit \(resolved), but the job's SCRIPTS_COMMIT expects commit \(expected.lowercased()); nothing ran. "
                + "If the ref moved on purpose, send the job with SCRIPTS_COMMIT=\(resolved) (or without SCRIPTS_COMMIT)."
        )
    }
}
