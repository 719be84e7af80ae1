import Foundation
import TestSupport
import Testing

@testable import GitSource

/// The pure rules behind the transports: pinned host keys, SSH addresses,
/// certificate advice, the known_hosts written for libssh2.
struct TrustRulesTests {
    static let keyA = Array("key-a-bytes".utf8)
    static let keyB = Array("key-b-bytes".utf8)
    static func line(_ hosts: String, _ type: String, _ key: [UInt8]) -> String {
        "\(hosts) \(type) \(Data(key).base64EncodedString())"
    }

    @Test func knownHostsVerdicts() {
        let file = KnownHosts(
            text: """
                # comment
                [127.0.0.1]:2222,git.example \(Self.line("", "ssh-ed25519", Self.keyA).dropFirst())
                @revoked old.example \(Self.line("", "ssh-ed25519", Self.keyB).dropFirst())
                old.example \(Self.line("", "ssh-ed25519", Self.keyA).dropFirst())
                @cert-authority *.example \(Self.line("", "ssh-ed25519", Self.keyB).dropFirst())
                |1|hashed= \(Self.line("", "ssh-ed25519", Self.keyB).dropFirst())
                """)
        #expect(file.check(hostName: "[127.0.0.1]:2222", key: Self.keyA) == .trusted)
        #expect(file.check(hostName: "git.example", key: Self.keyA) == .trusted)
        #expect(file.check(hostName: "[127.0.0.1]:2222", key: Self.keyB) == .changed)
        #expect(file.check(hostName: "127.0.0.1", key: Self.keyA) == .unknownHost, "port 22 is another entry")
        #expect(file.check(hostName: "old.example", key: Self.keyB) == .revoked)
        #expect(file.check(hostName: "x.example", key: Self.keyB) == .unknownHost, "no wildcards, no CA lines")
        #expect(KnownHosts.name(host: "h", port: 22) == "h")
        #expect(KnownHosts.name(host: "h", port: nil) == "h")
        #expect(KnownHosts.name(host: "h", port: 2222) == "[h]:2222")
    }

    @Test func fingerprintAndKeyType() {
        #expect(
            KnownHosts.fingerprint(sha256: [UInt8](repeating: 0, count: 32))
                == "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        let blob: [UInt8] = [0, 0, 0, 11] + Array("ssh-ed25519".utf8) + [0, 0, 0, 1, 7]
        #expect(KnownHosts.keyType(of: blob) == "ssh-ed25519")
        #expect(KnownHosts.keyType(of: [0, 0]) == "unknown")
    }

    @Test func sshAddresses() {
        let full = SSHAddress("ssh://git@127.0.0.1:2222/srv/repo.git")
        #expect(full?.user == "git" && full?.host == "127.0.0.1" && full?.port == 2222)
        let bracketed = SSHAddress("ssh://[::1]:2200/r")
        #expect(bracketed?.user == nil && bracketed?.host == "::1" && bracketed?.port == 2200)
        #expect(SSHAddress("git+ssh://h/r")?.host == "h")
        let scp = SSHAddress("sfgit@127.0.0.2:/tmp/x/origin")
        #expect(scp?.user == "sfgit" && scp?.host == "127.0.0.2" && scp?.port == nil)
        #expect(SSHAddress("https://example.org/x.git") == nil)
        #expect(SSHAddress("/srv/git/repo") == nil)
        #expect(SSHAddress("./a:b") == nil)
    }

    @Test func certificateAdvice() {
        let untrusted =
            "the SSL certificate is invalid: 0x08 - The certificate is not correctly signed by the trusted CA"
        #expect(
            CertificateAdvice.advice(for: untrusted, host: "git.example", caFile: nil).contains(
                "for a private CA, set repo.ca_file"))
        #expect(
            CertificateAdvice.advice(for: untrusted, host: "git.example", caFile: "/ca.pem").contains(
                "not signed by a CA in repo.ca_file (/ca.pem)"))
        let name = "0x04 - The certificate Common Name (CN) does not match with the expected CN"
        #expect(
            CertificateAdvice.advice(for: name, host: "10.0.0.5", caFile: nil).contains(
                "add DNS:10.0.0.5 to the certificate"))
        #expect(
            CertificateAdvice.advice(for: name, host: "git.example", caFile: nil)
                == "the certificate does not name git.example")
        #expect(CertificateAdvice.advice(for: "something else", host: nil, caFile: nil) == "")
        #expect(CertificateAdvice.host(ofHTTPS: "https://u:p@git.example:8443/a.git") == "git.example")
        #expect(CertificateAdvice.host(ofHTTPS: "https://[::1]:8443/a") == "::1")
        #expect(CertificateAdvice.host(ofHTTPS: "http://git.example/a") == nil)
    }

    @Test func knownHostsForLibssh2KeepsOnlyWhatItCanRead() throws {
        let text = [
            Self.line("[127.0.0.1]:2222", "ssh-ed25519", Self.keyA),
            "@revoked " + Self.line("[127.0.0.1]:2222", "ecdsa-sha2-nistp256", Self.keyB),
            Self.line("h", "sk-ssh-ed25519@openssh.com", Self.keyB),
            Self.line("h,h2", "ecdsa-sha2-nistp256", Self.keyB),
        ].joined(separator: "\n")
        #expect(
            PinnedHostKeyHome.text(for: KnownHosts(text: text)) == Self.line(
                "[127.0.0.1]:2222", "ssh-ed25519", Self.keyA) + "\n"
                + Self.line("h,h2", "ecdsa-sha2-nistp256", Self.keyB) + "\n")

        let scratch = try TemporaryDirectory("sf-trust")

        let directory = scratch.path
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/known_hosts"))
        let home = try #require(PinnedHostKeyHome.make(knownHosts: directory + "/known_hosts"))
        let written = try String(contentsOfFile: home + "/.ssh/known_hosts", encoding: .utf8)
        #expect(written.split(separator: "\n").count == 2)
        var info = stat()
        #expect(stat(home, &info) == 0 && info.st_mode & 0o777 == 0o700)
        PinnedHostKeyHome.remove(home)
        #expect(!FileManager.default.fileExists(atPath: home))
        #expect(PinnedHostKeyHome.make(knownHosts: directory + "/missing") == nil)
    }
}
