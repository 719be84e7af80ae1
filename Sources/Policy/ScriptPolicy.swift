/// The allow-list of scripts a job may name.
///
/// ```swift
/// let policy = ScriptPolicy(allowedScripts: ["deploy/*", "repro-*"])
/// try policy.check(scriptID: "deploy/web")      // allowed
/// try policy.check(scriptID: "deploy/a/b")      // refused: `*` does not cross `/`
/// ```
package struct ScriptPolicy: Sendable, Equatable {
    /// Glob patterns over `SCRIPT_ID`; `*` stays within one path segment.
    package var allowedScripts: [String]

    package init(allowedScripts: [String]) {
        self.allowedScripts = allowedScripts
    }

    package func check(scriptID: String) throws(PolicyViolation) {
        guard !allowedScripts.isEmpty else {
            throw PolicyViolation(
                .notAllowed,
                rule: "policy.allowed_scripts",
                message:
                    "Script `\(scriptID)` is not allowed: policy.allowed_scripts is empty, which allows nothing. List the scripts (e.g. deploy/*) in policy.allowed_scripts."
            )
        }
        guard GlobPattern.matchesAny(allowedScripts, scriptID, pathSegments: true) else {
            throw PolicyViolation(
                .notAllowed,
                rule: "policy.allowed_scripts",
                message:
                    "Script `\(scriptID)` is not allowed: it matches none of policy.allowed_scripts (\(allowedScripts.joined(separator: ", ")))."
            )
        }
    }
}
