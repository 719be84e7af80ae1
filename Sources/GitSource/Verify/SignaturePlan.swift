import ConfigKeys

/// Which signatures `policy.verify_signatures` asks for, and whether what
/// was found satisfies it: plain decisions over values.
enum SignaturePlan {
    /// The objects to try, in order; the first that verifies wins. Throws
    /// when the rule cannot be met at all (`tag` without an annotated tag).
    static func objects(
        for requirement: RefRequirements.Signatures, hasTag: Bool, ref: String
    ) throws(SourceError) -> [VerifiedSignature.Object] {
        switch requirement {
        case .off: return []
        case .commit: return [.commit]
        case .either: return hasTag ? [.tag, .commit] : [.commit]
        case .tag:
            guard hasTag else {
                throw SourceError(
                    .refused,
                    "The ref `\(ref)` is not an annotated tag, and \(ConfigKey.policyVerifySignatures) is tag: only a signed annotated tag can vouch for the commit. Run a signed tag, or set \(ConfigKey.policyVerifySignatures) to commit or either.",
                    rule: .policyVerifySignatures)
            }
            return [.tag]
        }
    }

    /// Why a tag object named `tagName` cannot vouch for the ref `ref`, or
    /// nil when it is that ref's own tag (`refs/tags/<tagName>`). A signed
    /// tag signs its name too: under another name (a lightweight tag or a
    /// branch pointing at the tag object) it would replay someone's
    /// signature for `v0-unsafe` as `release`.
    static func tagNameProblem(_ tagName: String?, ref: String) -> String? {
        guard let tagName else { return "the tag object has no name (no `tag` header)" }
        if ref == "refs/tags/" + tagName { return nil }
        return
            "the signed tag is named `\(tagName)`, and a signed tag vouches only for refs/tags/\(tagName), not for `\(ref)`"
    }

    /// The refusal when no object verified: each object's reason, joined.
    static func refusal(commit: String, ref: String, reasons: [(VerifiedSignature.Object, String)]) -> SourceError {
        let details = reasons.map { object, reason in
            object == .commit ? "the commit's signature: \(reason)" : "the tag's signature: \(reason)"
        }.joined(separator: "; ")
        return SourceError(
            .refused,
            "Commit \(commit) (ref `\(ref)`) has no signature \(ConfigKey.policyVerifySignatures) accepts (\(details)). Sign it with a key in \(ConfigKey.policyAllowedSigners) or \(ConfigKey.policyGPGKeyring).",
            rule: .policyVerifySignatures)
    }
}
