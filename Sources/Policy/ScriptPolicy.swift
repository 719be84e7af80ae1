import AgentSystem
import ConfigKeys

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
                rule: .key(.policyAllowedScripts),
                message:
                    "Script `\(scriptID)` is not allowed: \(ConfigKey.policyAllowedScripts) is empty, which allows nothing. List the scripts (e.g. deploy/*) in \(ConfigKey.policyAllowedScripts)."
            )
        }
        guard Glob.matchesAny(allowedScripts, scriptID, pathSegments: true) else {
            throw PolicyViolation(
                .notAllowed,
                rule: .key(.policyAllowedScripts),
                message:
                    "Script `\(scriptID)` is not allowed: it matches none of \(ConfigKey.policyAllowedScripts) (\(allowedScripts.joined(separator: ", ")))."
            )
        }
    }
}
