import Foundation
import Testing
import TestSupport
@testable import GitSource

/// SSH against a real sshd on 127.0.0.1 (started as root with its own
/// configuration, key authentication only) with a pinned known_hosts file,
/// through the fetch worker.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SSHTransportTests {
    /// An origin the sshd's user can read, a client key, and a known_hosts pinning the server.
    struct World {
        let origin: OriginRepository
        let key: SSHKeyPair
        let server: SSHServer
        let knownHosts: String

        init(keyType: String = "ed25519", hostKeyType: String = "ed25519") throws {
            origin = try OriginRepository.make()
            try SSHServer.makeReadable(origin.root)
            key = try SSHKeyPair(type: keyType, in: origin.root, name: "id_client")
            server = try SSHServer(authorizedKeys: [key.publicKey], hostKeyTypes: [hostKeyType])
            let type = hostKeyType == "ed25519" ? "ssh-ed25519" : "ecdsa-sha2-nistp256"
            knownHosts = try secretFile(origin.root, "known_hosts", "# pinned\n" + server.knownHostsLine(type) + "\n")
        }

        var url: String { server.url(origin.path) }

        func access(key: String? = nil, knownHosts: String? = nil) -> GitAccess {
            GitAccess(sshKeyFile: key ?? self.key.privateKeyFile, sshKnownHosts: knownHosts ?? self.knownHosts)
        }

        /// How many SSH sessions clients began (the fixture's readiness probe,
        /// which closes before the identification exchange, left out).
        var connections: Int {
            let log = server.log
            return log.components(separatedBy: "Connection from 127.0.0.1").count - log.components(separatedBy: "kex_exchange_identification").count
        }

        func remove() {
            server.stop()
            origin.remove()
        }
    }

    @Test(arguments: [("ed25519", "ed25519"), ("ecdsa", "ecdsa")])
    func cloneThenFetchANewCommit(keyType: String, hostKeyType: String) throws {
        let world = try World(keyType: keyType, hostKeyType: hostKeyType)
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
    /// with several host key types; libssh2 picks one of them and it is trusted.
    @Test func knownHostsFromSSHKeyscanWithSeveralHostKeyTypes() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        try SSHServer.makeReadable(origin.root)
        let key = try SSHKeyPair(type: "ed25519", in: origin.root, name: "id_client")
        let server = try SSHServer(authorizedKeys: [key.publicKey], hostKeyTypes: ["ed25519", "ecdsa"])
        defer { server.stop() }
        let scanned = try FixtureTools.run("/usr/bin/ssh-keyscan", ["-p", String(server.port), "127.0.0.1"])
        #expect(scanned.contains("[127.0.0.1]:\(server.port) ssh-ed25519 ") && scanned.contains("ecdsa-sha2-nistp256"), "\(scanned)")
        let knownHosts = try secretFile(origin.root, "known_hosts", scanned)
        let access = GitAccess(sshKeyFile: key.privateKeyFile, sshKnownHosts: knownHosts)
        #expect(try workerCache(origin.root, access: access).resolve(url: server.url(origin.path), ref: .shortName("main")).commit == origin.second)
    }

    /// libssh2 prefers ecdsa host keys: without help, a server with ed25519
    /// and ecdsa keys presents its ecdsa key, and a file pinning only the
    /// ed25519 key called it changed. The worker steers the handshake to the
    /// pinned type, whichever single type is pinned.
    @Test(arguments: ["ssh-ed25519", "ecdsa-sha2-nistp256"])
    func pinningOneOfSeveralHostKeyTypesIsEnough(type: String) throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        try SSHServer.makeReadable(origin.root)
        let key = try SSHKeyPair(type: "ed25519", in: origin.root, name: "id_client")
        let server = try SSHServer(authorizedKeys: [key.publicKey], hostKeyTypes: ["ed25519", "ecdsa"])
        defer { server.stop() }
        let knownHosts = try secretFile(origin.root, "known_hosts", "# only one type\n" + server.knownHostsLine(type) + "\n")
        let access = GitAccess(sshKeyFile: key.privateKeyFile, sshKnownHosts: knownHosts)
        #expect(try workerCache(origin.root, access: access).resolve(url: server.url(origin.path), ref: .shortName("main")).commit == origin.second)
    }

    /// The pin names a key type the server does not have (its key was
    /// replaced by one of another type): refused at the handshake, not retried.
    @Test func serverWithoutThePinnedKeyTypeIsRefusedClearly() throws {
        let world = try World()
        defer { world.remove() }
        let other = try SSHKeyPair(type: "ecdsa", in: world.origin.root, name: "id_other")
        let pinned = "[127.0.0.1]:\(world.server.port) \(other.publicKey.split(separator: " ").prefix(2).joined(separator: " "))\n"
        let knownHosts = try secretFile(world.origin.root, "ecdsa_hosts", pinned)
        let error = expectFailure {
            _ = try workerCache(world.origin.root, access: world.access(knownHosts: knownHosts)).resolve(url: world.url, ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("the server offers no host key of the types pinned for [127.0.0.1]:\(world.server.port) in repo.ssh_known_hosts (ecdsa-sha2-nistp256)"), "\(message)")
        #expect(message.contains("ssh-keyscan -p \(world.server.port) 127.0.0.1"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(world.connections == 1, "\(world.server.log)")
    }

    @Test func missingRepositoryIsNotRetried() throws {
        let world = try World()
        defer { world.remove() }
        let error = expectFailure {
            _ = try workerCache(world.origin.root, access: world.access()).resolve(url: world.server.url(world.origin.root + "/nothing.git"), ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("does not appear to be a git repository"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
    }

    @Test func wrongKeyIsRefusedClearlyAndNotRetried() throws {
        let world = try World()
        defer { world.remove() }
        let stranger = try SSHKeyPair(type: "ed25519", in: world.origin.root, name: "id_stranger")
        let error = expectFailure {
            _ = try workerCache(world.origin.root, access: world.access(key: stranger.privateKeyFile)).resolve(url: world.url, ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("refused the key in repo.ssh_key_file (\(stranger.privateKeyFile)) for user \(SSHServer.user)"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(world.connections == 1, "one connection, no retry: \(world.server.log)")
        let offers = world.server.log.components(separatedBy: "Failed publickey for \(SSHServer.user)").count - 1
        #expect(offers == 1, "the refused key was offered \(offers) times: \(world.server.log)")
    }

    @Test func unknownHostKeyIsRefusedWithItsFingerprint() throws {
        let world = try World()
        defer { world.remove() }
        let fingerprint = try hostFingerprint(world)
        let other = try secretFile(world.origin.root, "other_hosts", "[127.0.0.1]:1 \(world.server.hostKeys["ssh-ed25519"] ?? "")\n")
        let error = expectFailure {
            _ = try workerCache(world.origin.root, access: world.access(knownHosts: other)).resolve(url: world.url, ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("[127.0.0.1]:\(world.server.port) (ssh-ed25519 \(fingerprint)) is not in repo.ssh_known_hosts"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(!world.server.log.contains("Accepted publickey"), "no key was offered to an unknown host")
    }

    @Test func changedHostKeyIsRefusedWithItsFingerprint() throws {
        let world = try World()
        defer { world.remove() }
        let fingerprint = try hostFingerprint(world)
        let impostor = try SSHKeyPair(type: "ed25519", in: world.origin.root, name: "id_impostor")
        let pinned = "[127.0.0.1]:\(world.server.port) \(impostor.publicKey.split(separator: " ").prefix(2).joined(separator: " "))\n"
        let changed = try secretFile(world.origin.root, "changed_hosts", pinned)
        let error = expectFailure {
            _ = try workerCache(world.origin.root, access: world.access(knownHosts: changed)).resolve(url: world.url, ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("(ssh-ed25519 \(fingerprint)) does not match the key pinned for it"), "\(message)")
        #expect(world.connections == 1, "\(world.server.log)")
    }

    @Test func withoutPinnedHostKeysSSHIsRefused() throws {
        let world = try World()
        defer { world.remove() }
        let access = GitAccess(sshKeyFile: world.key.privateKeyFile)
        let error = expectFailure { _ = try workerCache(world.origin.root, access: access).resolve(url: world.url, ref: .shortName("main")) }
        let message = try #require(error?.message)
        #expect(message.contains("repo.ssh_known_hosts is not set"), "\(message)")
        #expect(message.contains(try hostFingerprint(world)), "\(message)")
    }

    @Test func withoutAKeyTheErrorNamesTheSetting() throws {
        let world = try World()
        defer { world.remove() }
        let access = GitAccess(sshKnownHosts: world.knownHosts)
        let error = expectFailure { _ = try workerCache(world.origin.root, access: access).resolve(url: world.url, ref: .shortName("main")) }
        let message = try #require(error?.message)
        #expect(message.contains("repo.ssh_key_file is not set"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
    }

    /// libgit2 1.5 reads no port from `user@host:path` (always 22): the
    /// scp-like form is tested on 127.0.0.2:22, where the test can listen
    /// unless a system sshd holds port 22 on every address.
    @Test(.enabled(if: Loopback.canBind(22, host: 0x7f00_0002), "port 22 on 127.0.0.2 is taken"))
    func scpLikeAddress() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        try SSHServer.makeReadable(origin.root)
        let key = try SSHKeyPair(type: "ed25519", in: origin.root, name: "id_client")
        let server = try SSHServer(authorizedKeys: [key.publicKey], host: "127.0.0.2", port: 22)
        defer { server.stop() }
        let knownHosts = try secretFile(origin.root, "known_hosts", server.knownHostsLine() + "\n")
        #expect(server.knownHostsLine().hasPrefix("127.0.0.2 ssh-ed25519 "))
        let url = "\(SSHServer.user)@127.0.0.2:\(origin.path)"
        let access = GitAccess(sshKeyFile: key.privateKeyFile, sshKnownHosts: knownHosts)
        #expect(try workerCache(origin.root, access: access).resolve(url: url, ref: .shortName("main")).commit == origin.second)
    }

    /// `SHA256:…` of the server's ed25519 host key, as `ssh-keygen -l` prints it.
    func hostFingerprint(_ world: World) throws -> String {
        let output = try FixtureTools.run("/usr/bin/ssh-keygen", ["-l", "-f", world.server.state + "/host_ed25519.pub"])
        return String(output.split(separator: " ")[1])
    }
}
