import AgentSystem

/// Reads the secrets of one or more directories: each regular file is one
/// secret named after the file.
///
/// Names starting with `.` are skipped: Kubernetes secret volumes keep their
/// data in `..data` and timestamped `..2024_…` folders, and expose each key
/// as a symlink `name -> ..data/name`, which is followed. Subdirectories
/// are skipped. Read them while the agent still has its privileges.
///
/// ```swift
/// let secrets = try SecretStore.read(directories: ["/run/secrets", "/vault/secrets"])
/// secrets.map(\.name)   // ["api_token", "db_password"], sorted by name
/// ```
package enum SecretStore {
    /// Secrets larger than this are refused (a secret is a credential, not a file to ship).
    package static let maximumSecretBytes = 64 * 1024

    /// Every secret of `directories`, sorted by name; a later directory's
    /// secret replaces an earlier one of the same name. A directory that
    /// does not exist is an error (a typo must not silently drop secrets).
    package static func read(directories: [String]) throws(SecretsError) -> [Secret] {
        var byName: [String: Secret] = [:]
        for directory in directories {
            let names: [String]
            do { names = try FileSystem.directoryEntries(directory) } catch {
                throw SecretsError(.unreadable, "Cannot read secrets directory \(directory): \(error).")
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = Path.join(directory, name)
                let status: FileStatus
                do { status = try FileSystem.status(path) } catch {
                    throw SecretsError(.unreadable, "Cannot read secret \(path): \(error).")
                }
                guard status.kind == .regular else { continue }
                guard status.size <= maximumSecretBytes else {
                    throw SecretsError(
                        .tooLarge,
                        "Secret \(path) is \(status.size) bytes; secrets may be at most \(maximumSecretBytes) bytes.")
                }
                let bytes: [UInt8]
                do { bytes = try FileSystem.readFile(path) } catch {
                    throw SecretsError(.unreadable, "Cannot read secret \(path): \(error).")
                }
                byName[name] = Secret(name: name, contents: bytes, path: path)
            }
        }
        return byName.values.sorted { $0.name < $1.name }
    }
}
