import Foundation
import TestSupport
import Testing

/// Real signing keys for one test: an ed25519 SSH key with its
/// `allowed_signers` file, and an OpenPGP key (no passphrase, in a private
/// GNUPGHOME) exported to a keyring file for `gpgv`.
struct SigningKeys {
    let directory: String
    /// The SSH private key (`user.signingkey` for `gpg.format=ssh`).
    var sshKey: String { directory + "/ssh-key" }
    /// `ci@example.com <ssh-key.pub>`.
    var allowedSigners: String { directory + "/allowed_signers" }
    var gnupgHome: String { directory + "/gnupg" }
    /// The exported public key, as `policy.gpg_keyring`.
    var gpgKeyring: String { directory + "/keyring.gpg" }
    static let sshPrincipal = "ci@example.com"
    static let gpgUserID = "CI Signer <ci-gpg@example.com>"

    /// Makes an SSH key pair (and its allowed_signers file) in `directory`;
    /// with `gpg`, an OpenPGP key too.
    init(in directory: String, gpg: Bool = false) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Command.check("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ci", "-f", sshKey])
        let publicKey = try String(contentsOfFile: sshKey + ".pub", encoding: .utf8)
        try "\(Self.sshPrincipal) \(publicKey)".write(toFile: allowedSigners, atomically: true, encoding: .utf8)
        guard gpg else { return }
        try FileManager.default.createDirectory(
            atPath: gnupgHome, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try gpgCommand(["--batch", "--passphrase", "", "--quick-gen-key", Self.gpgUserID, "ed25519", "sign", "never"])
        try gpgCommand(["--batch", "--output", gpgKeyring, "--export"])
    }

    /// The OpenPGP key's fingerprint.
    func gpgFingerprint() throws -> String {
        let listing = try gpgCommand(["--batch", "--with-colons", "--list-keys"])
        let line = try #require(listing.split(separator: "\n").first { $0.hasPrefix("fpr:") })
        return String(line.split(separator: ":", omittingEmptySubsequences: false)[9])
    }

    /// `git -c …` options that make `commit -S` / `tag -s` sign with the SSH key.
    var sshSigning: [String] { ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(sshKey)"] }

    /// Runs git in `repository` with GNUPGHOME set (OpenPGP signing needs it).
    @discardableResult
    func git(_ arguments: [String], in repository: String) throws -> String {
        try FixtureGit.run(
            ["-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments, in: repository,
            environment: ["HOME": directory, "GNUPGHOME": gnupgHome])
    }

    /// Signs the repository's HEAD commit again (amend) with the SSH key, or
    /// the OpenPGP key with `gpg`; returns the new commit id.
    @discardableResult
    func signHead(in repository: String, gpg: Bool = false) throws -> String {
        let signing = gpg ? ["-c", "user.signingkey=\(try gpgFingerprint())"] : sshSigning
        try git(signing + ["commit", "-q", "--amend", "--no-edit", "-S"], in: repository)
        return try git(["rev-parse", "HEAD"], in: repository)
    }

    @discardableResult
    private func gpgCommand(_ arguments: [String]) throws -> String {
        try Command.check(
            "/usr/bin/gpg", ["--homedir", gnupgHome, "--quiet"] + arguments, environment: ["PATH": "/usr/bin:/bin"])
    }
}
