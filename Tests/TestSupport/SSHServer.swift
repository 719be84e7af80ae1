import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH sshd on 127.0.0.1, started as root by a test with its own
/// configuration: host keys made in its folder, key authentication only
/// (no passwords, no PAM), one login user (``user``, created by
/// `.ci/install-deps`, whose shell runs `git-upload-pack`, with an empty home).
///
/// The user's git trusts every repository (`safe.directory = *` through
/// `GIT_CONFIG_GLOBAL`), so it may serve repositories the test made as root;
/// they must be readable by others (``makeReadable(_:)``).
package final class SSHServer {
    /// The system user tests log in as (see `.ci/install-deps`).
    package static let user = "sfgit"

    package let port: UInt16
    /// The address it listens on (127.0.0.1, or another loopback address).
    package let host: String
    package let state: String
    /// `type key` (the public host keys), by type (`ssh-ed25519`, `ecdsa-sha2-nistp256`).
    package private(set) var hostKeys: [String: String] = [:]
    private var process: RunningCommand?

    /// Starts sshd on `host`:`port` (a free port when nil) accepting `authorizedKeys`
    /// (public key lines) for ``user``, offering host keys of `hostKeyTypes`
    /// (`ed25519`, `ecdsa`).
    package init(
        authorizedKeys: [String], hostKeyTypes: [String] = ["ed25519"], host: String = "127.0.0.1", port: UInt16? = nil
    ) throws {
        guard getpwnam(Self.user) != nil else {
            throw FixtureFailure("the user \(Self.user) does not exist: run `bash .ci/install-deps` as root")
        }
        self.host = host
        self.port = try port ?? Loopback.freePort()
        state = try FixtureTools.temporaryDirectory("sf-sshd")
        var hostKeyLines: [String] = []
        for type in hostKeyTypes {
            let file = "\(state)/host_\(type)"
            try FixtureTools.run("/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-f", file])
            let publicKey = try String(contentsOfFile: file + ".pub", encoding: .utf8).split(separator: " ")
            hostKeys[String(publicKey[0])] = publicKey[0...1].joined(separator: " ")
            hostKeyLines.append("HostKey \(file)")
        }
        try FixtureTools.write(authorizedKeys.joined(separator: "\n") + "\n", to: state + "/authorized_keys")
        try FixtureTools.write("[safe]\n\tdirectory = *\n", to: state + "/gitconfig")
        let configuration = """
            ListenAddress \(host):\(self.port)
            \(hostKeyLines.joined(separator: "\n"))
            AuthorizedKeysFile \(state)/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            AllowUsers \(Self.user)
            PidFile none
            SetEnv GIT_CONFIG_GLOBAL=\(state)/gitconfig GIT_CONFIG_NOSYSTEM=1
            LogLevel VERBOSE

            """
        try FixtureTools.write(configuration, to: state + "/sshd_config")
        // sshd's privilege separation directory; a host without a running sshd may lack it.
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let server = try Command.start(
            "/usr/sbin/sshd", ["-D", "-e", "-f", state + "/sshd_config"],
            environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"], standardOutput: state + "/sshd.log",
            standardError: state + "/sshd.log")
        process = server
        try server.waitUntilListening(
            [self.port], host: UInt32(bigEndian: inet_addr(host)), log: state + "/sshd.log", name: "sshd")
    }

    /// The known_hosts line pinning this server's key of `type` (`ssh-ed25519`, …).
    package func knownHostsLine(_ type: String = "ssh-ed25519") -> String {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        return "\(name) \(hostKeys[type] ?? "missing-\(type)")"
    }

    /// `ssh://sfgit@host:port/<path>`.
    package func url(_ path: String) -> String { "ssh://\(Self.user)@\(host):\(port)\(path)" }

    /// sshd's log (-e: what it would send to syslog).
    package var log: String { (try? String(contentsOfFile: state + "/sshd.log", encoding: .utf8)) ?? "" }

    /// Makes `path` and its ancestors traversable and its tree readable by
    /// others, so that ``user`` can serve it.
    package static func makeReadable(_ path: String) throws {
        try FixtureTools.run("/bin/chmod", ["-R", "o+rX", path])
        var parent = (path as NSString).deletingLastPathComponent
        while parent != "/" && !parent.isEmpty {
            var info = stat()
            if stat(parent, &info) == 0 && info.st_mode & 0o001 == 0 { chmod(parent, (info.st_mode & 0o7777) | 0o005) }
            parent = (parent as NSString).deletingLastPathComponent
        }
    }

    /// Kills sshd (and with it its listener), reaps it, removes its folder.
    package func stop() {
        process?.stop()
        FixtureTools.removeTree(state)
    }

    deinit { stop() }
}

/// A client key pair made with ssh-keygen (no passphrase).
package struct SSHKeyPair {
    package let privateKeyFile: String
    /// The `type base64` public key line.
    package let publicKey: String

    /// Makes a key of `type` (`ed25519`, `ecdsa`) as `directory/name`.
    package init(type: String, in directory: String, name: String) throws {
        privateKeyFile = directory + "/" + name
        try FixtureTools.run(
            "/usr/bin/ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "sf-agent-test", "-f", privateKeyFile])
        publicKey = try String(contentsOfFile: privateKeyFile + ".pub", encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }
}
