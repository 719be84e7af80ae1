import AgentSystem
import ConfigKeys

/// Which secrets a script gets, from `secrets.allow` rules of the form
/// `SCRIPT_GLOB:SECRET_GLOB`. With no rules every script gets every secret;
/// with rules, a secret goes to a script when some rule matches both its
/// `SCRIPT_ID` (`*` does not cross `/`) and the secret's name.
///
/// ```swift
/// let rules = try SecretSelection.parse(["deploy/*:db_*", "deploy/web:api_token"])
/// SecretSelection.allows(rules, scriptID: "deploy/web", secret: "api_token")   // true
/// SecretSelection.allows(rules, scriptID: "build/app", secret: "db_password") // false
/// ```
package enum SecretSelection {
    /// One `SCRIPT_GLOB:SECRET_GLOB` rule.
    package struct Rule: Sendable, Equatable {
        package var script: String
        package var secret: String
        package init(script: String, secret: String) {
            self.script = script
            self.secret = secret
        }
    }

    /// Parses the rules.
    ///
    /// - Throws: ``SecretsError`` (`invalidRule`) naming the first entry
    ///   that is not `SCRIPT_GLOB:SECRET_GLOB`.
    package static func parse(_ entries: [String]) throws(SecretsError) -> [Rule] {
        var rules: [Rule] = []
        for entry in entries {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw SecretsError(
                    .invalidRule, "\(ConfigKey.secretsAllow): `\(entry)` is not SCRIPT_GLOB:SECRET_GLOB.")
            }
            rules.append(Rule(script: String(parts[0]), secret: String(parts[1])))
        }
        return rules
    }

    /// Whether `rules` give the secret `secret` to the script `scriptID`.
    package static func allows(_ rules: [Rule], scriptID: String, secret: String) -> Bool {
        if rules.isEmpty { return true }
        return rules.contains {
            Glob.matches($0.script, scriptID, pathSegments: true) && Glob.matches($0.secret, secret)
        }
    }

    /// The secrets of `secrets` that `scriptID` gets, leaving out any read
    /// from one of `credentialPaths` (the agent's own credentials).
    package static func select(
        _ secrets: [Secret], for scriptID: String, rules: [Rule], credentialPaths: [String] = []
    ) -> [Secret] {
        let credentials = Set(credentialPaths.compactMap(canonical))
        return secrets.filter { secret in
            guard allows(rules, scriptID: scriptID, secret: secret.name) else { return false }
            guard let path = canonical(secret.path) else { return true }
            return !credentials.contains(path)
        }
    }

    private static func canonical(_ path: String) -> String? {
        try? FileSystem.realPath(path)
    }
}
