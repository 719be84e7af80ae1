import AgentSystem
import ConfigKeys

/// How the agent authenticates to the server and decides whom to trust.
///
/// Secrets come from files only and are read once, before the agent drops
/// privileges (``load(tokenFile:sshKeyFile:sshKnownHosts:caFile:)``). The
/// token never appears in ``description``, logs, errors or `result.json`.
///
/// ```swift
/// let access = try GitAccess.load(tokenFile: "/run/secrets/git-token", sshKeyFile: nil,
///                                 sshKnownHosts: nil, caFile: "/etc/ssl/private-ca.pem")
/// ```
package struct GitAccess: Sendable, Equatable, Codable, CustomStringConvertible {
    /// HTTP user name, when `repo.token_file` is set.
    package var httpUser: String?
    /// HTTP password or token, when `repo.token_file` is set. Secret.
    package var httpPassword: String?
    /// Private key (ed25519 or ecdsa) for SSH, `repo.ssh_key_file`.
    package var sshKeyFile: String?
    /// Pinned SSH host keys (OpenSSH known_hosts format), `repo.ssh_known_hosts`.
    package var sshKnownHosts: String?
    /// PEM bundle that replaces the system CAs for HTTPS, `repo.ca_file`.
    package var caFile: String?

    /// No credentials, system CAs, no SSH.
    package init(
        httpUser: String? = nil, httpPassword: String? = nil, sshKeyFile: String? = nil,
        sshKnownHosts: String? = nil, caFile: String? = nil
    ) {
        self.httpUser = httpUser
        self.httpPassword = httpPassword
        self.sshKeyFile = sshKeyFile
        self.sshKnownHosts = sshKnownHosts
        self.caFile = caFile
    }

    /// The user name sent with a bare token (GitHub's convention; write
    /// `user:token` in the file for servers that want another).
    package static let tokenUser = "x-access-token"

    /// Reads `tokenFile` (a token, or `user:password`, surrounding
    /// whitespace ignored) and checks that the other files are readable.
    ///
    /// - Throws: ``SourceError`` `.credentialsFailed`, naming the key and
    ///   the file, never the contents.
    package static func load(
        tokenFile: String?, sshKeyFile: String?, sshKnownHosts: String?, caFile: String?
    ) throws(SourceError) -> GitAccess {
        var access = GitAccess(sshKeyFile: sshKeyFile, sshKnownHosts: sshKnownHosts, caFile: caFile)
        if let tokenFile {
            let text: String
            do { text = String(decoding: try FileSystem.readFile(tokenFile), as: UTF8.self) } catch {
                throw SourceError(.credentialsFailed, "Cannot read \(ConfigKey.repoTokenFile): \(error).")
            }
            let token = String(
                text.trimmingPrefix(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
            guard !token.isEmpty, !token.contains("\n") else {
                throw SourceError(
                    .credentialsFailed,
                    "\(ConfigKey.repoTokenFile) \(tokenFile) must hold one line: a token or user:password.")
            }
            if let colon = token.firstIndex(of: ":") {
                access.httpUser = String(token[..<colon])
                access.httpPassword = String(token[token.index(after: colon)...])
            } else {
                access.httpUser = tokenUser
                access.httpPassword = token
            }
        }
        for (key, path) in [
            (ConfigKey.repoSSHKeyFile, sshKeyFile), (.repoSSHKnownHosts, sshKnownHosts), (.repoCAFile, caFile),
        ] {
            guard let path else { continue }
            do { _ = try FileSystem.readFile(path) } catch {
                throw SourceError(.credentialsFailed, "Cannot read \(key): \(error).")
            }
        }
        return access
    }

    /// What is configured, secrets left out.
    package var description: String {
        var parts: [String] = []
        if let httpUser { parts.append("http user \(httpUser) with a password") }
        if let sshKeyFile { parts.append("ssh key \(sshKeyFile)") }
        if let sshKnownHosts { parts.append("known hosts \(sshKnownHosts)") }
        if let caFile { parts.append("CA file \(caFile)") }
        return parts.isEmpty ? "no credentials" : parts.joined(separator: ", ")
    }

    /// Every secret value, for scrubbing messages.
    var secrets: [String] {
        [httpPassword].compactMap { $0 }.filter { !$0.isEmpty }
    }
}
