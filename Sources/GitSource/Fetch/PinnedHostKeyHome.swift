import AgentSystem
import FoundationEssentials

/// A private `HOME` for the fetch worker whose `.ssh/known_hosts` holds the
/// pinned host keys of `repo.ssh_known_hosts`.
///
/// libssh2 chooses the host key algorithm by its own preference (ecdsa
/// before ed25519), so a server with several host keys may present one
/// that was not pinned, and the pin check would call it changed. libgit2
/// 1.5 looks the host up in `$HOME/.ssh/known_hosts` before the handshake
/// and asks the server for the key type it finds there. The worker gets this
/// folder as `HOME` so that lookup finds the pinned types. The trust
/// decision stays with ``FetchCallbacks`` and ``KnownHosts``; this file only
/// steers the handshake. Only plain, unrevoked entries of key types libssh2
/// 1.10 parses are written (it rejects the whole file for one line it cannot read).
///
/// ```swift
/// let home = PinnedHostKeyHome.make(knownHosts: "/etc/sf-agent/known_hosts")  // "/tmp/sf-agent-ssh-Ab12Cd"
/// defer { home.map(PinnedHostKeyHome.remove) }
/// ```
enum PinnedHostKeyHome {
    /// Key types libssh2 1.10 reads from a known_hosts file.
    static let readableTypes: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss",
    ]

    /// The known_hosts text written for libssh2: one line per usable entry.
    static func text(for knownHosts: KnownHosts) -> String {
        knownHosts.entries
            .filter { !$0.revoked && readableTypes.contains($0.keyType) }
            .map { "\($0.hosts.joined(separator: ",")) \($0.keyType) \(Data($0.key).base64EncodedString())\n" }
            .joined()
    }

    /// Makes the folder (0700 under /tmp) from the file at `path`; nil when
    /// the file cannot be read or the folder not written (libssh2's own
    /// preference then applies, and the pin check still decides).
    static func make(knownHosts path: String) -> String? {
        guard let bytes = try? FileSystem.readFile(path) else { return nil }
        let text = text(for: KnownHosts(text: String(decoding: bytes, as: UTF8.self)))
        guard !text.isEmpty else { return nil }
        guard let home = try? FileSystem.makeTemporaryDirectory(prefix: "sf-agent-ssh-") else { return nil }
        do throws(SystemError) {
            try FileSystem.makeDirectory(home + "/.ssh", mode: 0o700)
            try FileSystem.writeAtomically(Array(text.utf8), to: home + "/.ssh/known_hosts", mode: 0o600)
        } catch {
            remove(home)
            return nil
        }
        return home
    }

    /// Removes a folder made by ``make(knownHosts:)``.
    static func remove(_ home: String) {
        try? FileSystem.removeTree(home)
    }
}
