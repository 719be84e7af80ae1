import AgentSystem
import ConfigKeys

/// Hands the selected secrets to a script: as environment variables, or as
/// read-only files in a private per-job folder (`SF_SECRETS_DIR`).
///
/// ```swift
/// let variables = try SecretExposure.environment(secrets, prefix: "SECRET_", reserved: ["PATH", "HOME"])
/// // ["SECRET_DB_PASSWORD": "…"]
/// let folder = try SecretExposure.writeFiles(secrets, into: "/run/sf-agent/secrets/job-1", owner: (10001, 10001))
/// defer { SecretExposure.removeFiles(folder) }
/// ```
package enum SecretExposure {
    /// The variable that names the per-job secrets folder.
    package static let directoryVariable = "SF_SECRETS_DIR"

    /// One variable per secret. A value with a NUL byte or that is not
    /// UTF-8, two secrets with one variable name, or a name in `reserved`
    /// (the variables the agent sets) is refused.
    package static func environment(
        _ secrets: [Secret], prefix: String, reserved: Set<String>
    ) throws(SecretsError) -> [String: String] {
        var variables: [String: String] = [:]
        var owners: [String: String] = [:]
        for secret in secrets {
            let name = secret.environmentName(prefix: prefix)
            if let other = owners[name] {
                throw SecretsError(
                    .notExposable,
                    "Secrets `\(other)` and `\(secret.name)` would both be \(name); rename one or use \(ConfigKey.secretsExpose) = files."
                )
            }
            guard !reserved.contains(name) else {
                throw SecretsError(
                    .notExposable,
                    "Secret `\(secret.name)` would replace \(name), which the agent sets; set \(ConfigKey.secretsEnvPrefix)."
                )
            }
            guard !secret.value.contains(0), let text = String(validating: secret.value, as: UTF8.self) else {
                throw SecretsError(
                    .notExposable,
                    "Secret `\(secret.name)` holds a NUL byte or is not UTF-8 and cannot be an environment variable; use \(ConfigKey.secretsExpose) = files."
                )
            }
            owners[name] = secret.name
            variables[name] = text
        }
        return variables
    }

    /// Writes each secret's file contents into `directory` (created afresh,
    /// its parent created mode 0711 if missing): files mode 0400, the
    /// folder mode 0500, both owned by `owner` when given (the agent is root
    /// and the script runs as another user). Returns `directory`.
    @discardableResult
    package static func writeFiles(
        _ secrets: [Secret], into directory: String, owner: (uid: UInt32, gid: UInt32)?
    ) throws(SecretsError) -> String {
        do {
            try FileSystem.makeDirectories(Path.parent(of: directory), mode: 0o711)
            try FileSystem.removeTree(directory)
            try FileSystem.makeDirectory(directory, mode: 0o700)
            for secret in secrets {
                let path = Path.join(directory, secret.name)
                try FileSystem.writeAtomically(secret.contents, to: path, mode: 0o400)
                if let owner { try FileSystem.changeOwner(path, uid: owner.uid, gid: owner.gid) }
            }
            if let owner { try FileSystem.changeOwner(directory, uid: owner.uid, gid: owner.gid) }
            try FileSystem.changeMode(directory, 0o500)
        } catch {
            try? FileSystem.removeTree(directory)
            throw SecretsError(.filesFailed, "Cannot write the job's secrets folder: \(error).")
        }
        return directory
    }

    /// Removes the per-job secrets folder. Returns the failure, if any, so
    /// the caller can record it.
    package static func removeFiles(_ directory: String) -> SecretsError? {
        do { try FileSystem.removeTree(directory) } catch {
            return SecretsError(.filesFailed, "Cannot remove the job's secrets folder: \(error).")
        }
        return nil
    }
}
