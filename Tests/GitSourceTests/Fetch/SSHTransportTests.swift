import Foundation
import TestSupport
import Testing

@testable import GitSource

/// SSH against a real sshd on 127.0.0.1 (started as root with its own
/// configuration, key authentication only) with a pinned known_hosts file,
/// through the fetch worker.
@Suite(.requiresRoot, .serialized, .timeLimit(.minutes(10))) struct SSHTransportTests {
    /// An origin the sshd's user can read, a client key, an sshd with host
    /// keys of `hostKeyTypes`, and a known_hosts pinning the first of them.
    struct World {
        let origin: OriginRepository
        let key: SSHKeyPair
        let server: SSHServer
        let knownHosts: String

        init(
            keyType: String = "ed25519", hostKeyTypes: [String] = ["ed25519"], host: String = "127.0.0.1",
            port: UInt16? = nil
        ) throws {
            origin = try OriginRepository.make()
            try SSHServer.makeReadable(origin.root)
            key = try SSHKeyPair(type: keyType, in: origin.root, name: "id_client")
            server = try SSHServer(authorizedKeys: [key.publicKey], hostKeyTypes: hostKeyTypes, host: host, port: port)
            let type = hostKeyTypes[0] == "ed25519" ? "ssh-ed25519" : "ecdsa-sha2-nistp256"
            knownHosts = try secretFile(origin.root, "known_hosts", "# pinned\n" + server.knownHostsLine(type) + "\n")
        }

        var url: String { server.url(origin.path) }

        func access(key: String? = nil, knownHosts: String? = nil) -> GitAccess {
            GitAccess(sshKeyFile: key ?? self.key.privateKeyFile, sshKnownHosts: knownHosts ?? self.knownHosts)
        }

        /// A known_hosts file `name` holding `text`.
        func pin(_ text: String, as name: String) throws -> String { try secretFile(origin.root, name, text) }

        /// A known_hosts line giving this server's name a new key of `type` (an impostor's).
        func impostorLine(type: String) throws -> String {
            let impostor = try SSHKeyPair(type: type, in: origin.root, name: "id_impostor_\(type)")
            return
                "[127.0.0.1]:\(server.port) \(impostor.publicKey.split(separator: " ").prefix(2).joined(separator: " "))\n"
        }

        /// Resolves main with `access` (the world's own by default) through the worker.
        func resolve(_ access: GitAccess? = nil, url: String? = nil) throws -> ResolvedRef {
            try workerCache(origin.root, access: access ?? self.access()).resolve(
                url: url ?? self.url, ref: .shortName("main"))
        }

        /// The message of the failure resolving main with `access`.
        func failure(_ access: GitAccess, url: String? = nil) throws -> String {
            try #require(expectFailure { _ = try resolve(access, url: url) }?.message)
        }

        /// `SHA256:…` of the server's ed25519 host key, as `ssh-keygen -l` prints it.
        func hostFingerprint() throws -> String {
            let output = try FixtureTools.run("/usr/bin/ssh-keygen", ["-l", "-f", server.state + "/host_ed25519.pub"])
            return String(output.split(separator: " ")[1])
        }

        /// How many SSH sessions clients began (the fixture's readiness probe,
        /// which closes before the identification exchange, left out).
        var connections: Int {
            let log = server.log
            return log.components(separatedBy: "Connection from").count
                - log.components(separatedBy: "kex_exchange_identification").count
        }

        func remove() {
            server.stop()
            origin.remove()
        }
    }

    @Test(arguments: ["ed25519", "ecdsa"])
    func cloneThenFetchANewCommit(keyType: String) throws {
        let world = try World(keyType: keyType, hostKeyTypes: [keyType])
        defer { world.remove() }
        let cache = workerCache(world.origin.root, access: world.access())
        let (first, checkout) = try cache.prepare(url: world.url, ref: .shortName("main"))
        #expect(first.commit == world.origin.second)
        #expect(try String(contentsOfFile: checkout.path + "/README.md", encoding: .utf8) == "hello again\n")
        let third = try world.origin.commitOnMain("third\n")
        #expect(try cache.resolve(url: world.url, ref: .shortName("main")).commit == third)
        #expect(world.server.log.contains("Accepted publickey for \(SSHServer.user)"), "\(world.server.log)")
    }

    /// The operator's route: pin what `ssh-keyscan` prints for a server
    /// with several host key types.
    @Test func knownHostsFromSSHKeyscanWithSeveralHostKeyTypes() throws {
        let world = try World(hostKeyTypes: ["ed25519", "ecdsa"])
        defer { world.remove() }
        let scanned = try FixtureTools.run("/usr/bin/ssh-keyscan", ["-p", String(world.server.port), "127.0.0.1"])
        #expect(
            scanned.contains("[127.0.0.1]:\(world.server.port) ssh-ed25519 ")
                && scanned.contains("ecdsa-sha2-nistp256"), "\(scanned)")
        #expect(
            try world.resolve(world.access(knownHosts: world.pin(scanned, as: "scanned"))).commit == world.origin.second
        )
    }

    /// libssh2 prefers ecdsa host keys: without help, a server with ed25519
    /// and ecdsa keys presents its ecdsa key, and a file pinning only the
    /// ed25519 key called it changed. The worker steers the handshake to the
    /// pinned type, whichever single type is pinned.
    @Test(arguments: ["ssh-ed25519", "ecdsa-sha2-nistp256"])
    func pinningOneOfSeveralHostKeyTypesIsEnough(type: String) throws {
        let world = try World(hostKeyTypes: ["ed25519", "ecdsa"])
        defer { world.remove() }
        let knownHosts = try world.pin("# only one type\n" + world.server.knownHostsLine(type) + "\n", as: "one_type")
        #expect(try world.resolve(world.access(knownHosts: knownHosts)).commit == world.origin.second)
    }

    /// The pin names a key type the server does not have (its key was
    /// replaced by one of another type): refused at the handshake, not retried.
    @Test func serverWithoutThePinnedKeyTypeIsRefusedClearly() throws {
        let world = try World()
        defer { world.remove() }
        let message = try world.failure(
            world.access(knownHosts: world.pin(world.impostorLine(type: "ecdsa"), as: "ecdsa_hosts")))
        #expect(
            message.contains(
                "the server offers no host key of the types pinned for [127.0.0.1]:\(world.server.port) in repo.ssh_known_hosts (ecdsa-sha2-nistp256)"
            ), "\(message)")
        #expect(message.contains("ssh-keyscan -p \(world.server.port) 127.0.0.1"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(world.connections == 1, "\(world.server.log)")
    }

    @Test func missingRepositoryIsNotRetried() throws {
        let world = try World()
        defer { world.remove() }
        let message = try world.failure(world.access(), url: world.server.url(world.origin.root + "/nothing.git"))
        #expect(message.contains("does not appear to be a git repository"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
    }

    @Test func wrongKeyIsRefusedClearlyAndNotRetried() throws {
        let world = try World()
        defer { world.remove() }
        let stranger = try SSHKeyPair(type: "ed25519", in: world.origin.root, name: "id_stranger")
        let message = try world.failure(world.access(key: stranger.privateKeyFile))
        #expect(
            message.contains(
                "refused the key in repo.ssh_key_file (\(stranger.privateKeyFile)) for user \(SSHServer.user)"),
            "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(world.connections == 1, "one connection, no retry: \(world.server.log)")
        let offers = world.server.log.components(separatedBy: "Failed publickey for \(SSHServer.user)").count - 1
        #expect(offers == 1, "the refused key was offered \(offers) times: \(world.server.log)")
    }

    @Test func unknownHostKeyIsRefusedWithItsFingerprint() throws {
        let world = try World()
        defer { world.remove() }
        let otherHost = try world.pin(
            "[127.0.0.1]:1 \(world.server.hostKeys["ssh-ed25519"] ?? "")\n", as: "other_hosts")
        let message = try world.failure(world.access(knownHosts: otherHost))
        #expect(
            message.contains(
                "[127.0.0.1]:\(world.server.port) (ssh-ed25519 \(try world.hostFingerprint())) is not in repo.ssh_known_hosts"
            ), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(!world.server.log.contains("Accepted publickey"), "no key was offered to an unknown host")
    }

    @Test func changedHostKeyIsRefusedWithItsFingerprint() throws {
        let world = try World()
        defer { world.remove() }
        let message = try world.failure(
            world.access(knownHosts: world.pin(world.impostorLine(type: "ed25519"), as: "changed_hosts")))
        #expect(
            message.contains("(ssh-ed25519 \(try world.hostFingerprint())) does not match the key pinned for it"),
            "\(message)")
        #expect(world.connections == 1, "\(world.server.log)")
    }

    @Test func withoutPinnedHostKeysSSHIsRefused() throws {
        let world = try World()
        defer { world.remove() }
        let message = try world.failure(GitAccess(sshKeyFile: world.key.privateKeyFile))
        #expect(message.contains("repo.ssh_known_hosts is not set"), "\(message)")
        #expect(message.contains(try world.hostFingerprint()), "\(message)")
    }

    @Test func withoutAKeyTheErrorNamesTheSetting() throws {
        let world = try World()
        defer { world.remove() }
        let message = try world.failure(GitAccess(sshKnownHosts: world.knownHosts))
        #expect(message.contains("repo.ssh_key_file is not set"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
    }

    /// libgit2 1.5 reads no port from `user@host:path` (always 22): the
    /// scp-like form is tested on 127.0.0.2:22, where the test can listen
    /// unless a system sshd holds port 22 on every address.
    @Test(.enabled(if: Loopback.canBind(22, host: 0x7f00_0002), "port 22 on 127.0.0.2 is taken"))
    func scpLikeAddress() throws {
        let world = try World(host: "127.0.0.2", port: 22)
        defer { world.remove() }
        #expect(world.server.knownHostsLine().hasPrefix("127.0.0.2 ssh-ed25519 "))
        #expect(
            try world.resolve(url: "\(SSHServer.user)@127.0.0.2:\(world.origin.path)").commit == world.origin.second)
    }
}
