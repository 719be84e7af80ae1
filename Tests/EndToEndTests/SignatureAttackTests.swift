import Foundation
import TestSupport
import Testing

/// A hostile repository author against `policy.verify_signatures`, through
/// the real binary: commit objects written by hand (`git hash-object`)
/// with signatures copied, made for another namespace or another payload,
/// moved out of the header, non-detached, or by keys that expired or were
/// revoked; signed tags replayed under another name. Each attack has a
/// control built the same way that is accepted, so the refusal is the rule's.
@Suite(.requiresRoot, .timeLimit(.minutes(5))) struct SignatureAttackTests {
    static let hello = ["hello.sh": "echo hello-from-verified\n"]
    static let evil = ["hello.sh": "echo evil-ran\n"]

    // MARK: - Commit objects by hand

    /// The commit object exactly as stored.
    static func raw(_ world: AgentWorld, _ id: String) throws -> String {
        try world.git("cat-file", "commit", id) + "\n"
    }

    /// Writes `raw` as a commit object (no checks) and returns its id.
    static func write(_ world: AgentWorld, _ raw: String) throws -> String {
        let file = world.root + "/object-\(UUID().uuidString.prefix(8))"
        try raw.write(toFile: file, atomically: true, encoding: .utf8)
        return try world.git("hash-object", "-t", "commit", "-w", "--literally", file)
    }

    /// `raw` with a `gpgsig` header holding `signature` at the end of its headers.
    static func withSignatureHeader(_ raw: String, _ signature: String) -> String {
        let header =
            "gpgsig "
            + signature.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: "\n ") + "\n"
        let end = raw.range(of: "\n\n")?.lowerBound ?? raw.endIndex
        return String(raw[...end]) + header + String(raw[raw.index(after: end)...])
    }

    /// The signature in a commit's `gpgsig` header.
    static func signature(inCommit raw: String) throws -> String {
        var lines: [Substring] = []
        for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("gpgsig ") {
                lines.append(line.dropFirst(7))
            } else if !lines.isEmpty, line.hasPrefix(" ") {
                lines.append(line.dropFirst())
            } else if !lines.isEmpty {
                break
            }
        }
        try #require(!lines.isEmpty)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `ssh-keygen -Y sign -n namespace` of `payload` with the keys' SSH key.
    static func sshSign(_ payload: String, _ keys: SigningKeys, namespace: String) throws -> String {
        let file = keys.directory + "/payload-\(UUID().uuidString.prefix(8))"
        try payload.write(toFile: file, atomically: true, encoding: .utf8)
        try Command.check("/usr/bin/ssh-keygen", ["-q", "-Y", "sign", "-f", keys.sshKey, "-n", namespace, file])
        return try String(contentsOfFile: file + ".sig", encoding: .utf8)
    }

    /// `gpg --detach-sign` (or `--sign`, a signed message holding its data) of `payload`, armored.
    static func gpgSign(_ payload: String, _ keys: SigningKeys, detached: Bool) throws -> String {
        let file = keys.directory + "/payload-\(UUID().uuidString.prefix(8))"
        try payload.write(toFile: file, atomically: true, encoding: .utf8)
        try gpg(keys, ["--batch", "--armor", detached ? "--detach-sign" : "--sign", "--output", file + ".asc", file])
        return try String(contentsOfFile: file + ".asc", encoding: .utf8)
    }

    @discardableResult
    static func gpg(_ keys: SigningKeys, _ arguments: [String]) throws -> String {
        let output = try Command.run(
            "/usr/bin/gpg", ["--homedir", keys.gnupgHome, "--quiet"] + arguments, environment: ["PATH": "/usr/bin:/bin"]
        )
        guard output.status == 0 else {
            throw CommandFailure(command: "gpg " + arguments.joined(separator: " "), output: output)
        }
        return output.stdout
    }

    // MARK: - Running

    static func runCommit(_ world: AgentWorld, _ jobID: String, _ commit: String, _ settings: [String: String]) throws
        -> Command.Output
    {
        try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"],
            settings: ["repo.ref": commit, "policy.verify_signatures": "commit"].merging(settings) { $1 })
    }

    /// The refusal message of a rejected job (`policy.verify_signatures`), nothing having run.
    static func refusal(_ world: AgentWorld, _ jobID: String, _ run: Command.Output) throws -> String {
        #expect(run.status == 77, "\(run.stderr)")
        #expect(!run.stdout.contains("evil-ran") && !run.stdout.contains("hello-from-verified"))
        try world.validateResult(jobID)
        let error = try #require(try world.result(jobID)["error"] as? [String: Any])
        #expect(error["rule"] as? String == "policy.verify_signatures", "\(error)")
        return try #require(error["message"] as? String)
    }

    static func accepted(_ world: AgentWorld, _ jobID: String, _ run: Command.Output) throws {
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult(jobID)
    }

    // MARK: - SSH

    /// A good signature copied from a signed commit onto another commit
    /// (other tree): it does not sign that commit's bytes.
    @Test func aSignatureCopiedFromAnotherCommitIsRejected() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        let ssh = ["policy.allowed_signers": keys.allowedSigners]
        try world.commit(Self.hello)
        let signed = try keys.signHead(in: world.repository)
        let unsigned = try world.commit(Self.evil)
        let copied = try Self.write(
            world,
            Self.withSignatureHeader(
                try Self.raw(world, unsigned), try Self.signature(inCommit: try Self.raw(world, signed))))
        try Self.accepted(world, "original", try Self.runCommit(world, "original", signed, ssh))
        let message = try Self.refusal(world, "copied", try Self.runCommit(world, "copied", copied, ssh))
        #expect(message.contains("ssh-keygen -Y verify did not accept it"), "\(message)")
    }

    /// The commit's exact bytes signed by the trusted key, but for the
    /// `file` namespace: not a git signature. The same bytes signed for `git`: accepted.
    @Test func aSignatureForAnotherNamespaceIsRejected() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        let ssh = ["policy.allowed_signers": keys.allowedSigners]
        let payload = try Self.raw(world, try world.commit(Self.hello))
        let forGit = try Self.write(
            world, Self.withSignatureHeader(payload, try Self.sshSign(payload, keys, namespace: "git")))
        let forFile = try Self.write(
            world, Self.withSignatureHeader(payload, try Self.sshSign(payload, keys, namespace: "file")))
        try Self.accepted(world, "git-namespace", try Self.runCommit(world, "git-namespace", forGit, ssh))
        let message = try Self.refusal(
            world, "file-namespace", try Self.runCommit(world, "file-namespace", forFile, ssh))
        #expect(message.contains("did not accept"), "\(message)")
    }

    /// A valid signature of the commit's bytes moved out of the header, to a
    /// `gpgsig` line at the end of the message (git calls such a commit
    /// unsigned): not a signature. The same signature in the header: accepted.
    @Test func aSignatureInTheMessageIsNotASignature() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        let ssh = ["policy.allowed_signers": keys.allowedSigners]
        let payload = try Self.raw(world, try world.commit(Self.hello))
        let signature = try Self.sshSign(payload, keys, namespace: "git")
        let inHeader = try Self.write(world, Self.withSignatureHeader(payload, signature))
        let block =
            "gpgsig " + signature.trimmingCharacters(in: .newlines).split(separator: "\n").joined(separator: "\n ")
            + "\n"
        let inMessage = try Self.write(world, payload + block)
        try Self.accepted(world, "in-header", try Self.runCommit(world, "in-header", inHeader, ssh))
        let message = try Self.refusal(world, "in-message", try Self.runCommit(world, "in-message", inMessage, ssh))
        #expect(message.contains("it is not signed"), "\(message)")
    }

    /// allowed_signers options restrict a trusted key: `namespaces="file"`,
    /// an expired `valid-before`, a `valid-after` in the future.
    @Test(arguments: [#"namespaces="file""#, #"valid-before="20200101""#, #"valid-after="29990101""#])
    func allowedSignersRestrictionsAreHonoured(option: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        let signed = try keys.signHead(in: world.repository)
        let publicKey = try String(contentsOfFile: keys.sshKey + ".pub", encoding: .utf8)
        let restricted = world.root + "/restricted_signers"
        try "\(SigningKeys.sshPrincipal) \(option) \(publicKey)".write(
            toFile: restricted, atomically: true, encoding: .utf8)
        _ = try Self.refusal(
            world, "restricted", try Self.runCommit(world, "restricted", signed, ["policy.allowed_signers": restricted])
        )
        try Self.accepted(
            world, "unrestricted",
            try Self.runCommit(world, "unrestricted", signed, ["policy.allowed_signers": keys.allowedSigners]))
    }

    // MARK: - OpenPGP

    /// A signed message that carries its own data (`gpg --sign`, armored as
    /// `PGP MESSAGE`, which git accepts as a signature) by the trusted key:
    /// gpgv must not verify the embedded data instead of the commit.
    @Test func aNonDetachedOpenPGPMessageIsRejected() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys", gpg: true)
        let gpg = ["policy.gpg_keyring": keys.gpgKeyring]
        let payload = try Self.raw(world, try world.commit(Self.evil))
        let message = try Self.gpgSign("an innocent announcement\n", keys, detached: false)
        #expect(message.hasPrefix("-----BEGIN PGP MESSAGE-----"))
        let inline = try Self.write(world, Self.withSignatureHeader(payload, message))
        let detached = try Self.write(
            world, Self.withSignatureHeader(payload, try Self.gpgSign(payload, keys, detached: true)))
        try Self.accepted(world, "detached", try Self.runCommit(world, "detached", detached, gpg))
        _ = try Self.refusal(world, "inline", try Self.runCommit(world, "inline", inline, gpg))
    }

    /// A key that expired, or was revoked, after signing: gpgv still calls
    /// the signature good (`EXPKEYSIG`, `REVKEYSIG`); the agent refuses it.
    @Test(arguments: [false, true]) func aSignatureByAnExpiredOrRevokedKeyIsRejected(revoked: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys", gpg: true)
        try world.commit(Self.hello)
        let signed = try keys.signHead(in: world.repository, gpg: true)
        try Self.accepted(
            world, "valid-key", try Self.runCommit(world, "valid-key", signed, ["policy.gpg_keyring": keys.gpgKeyring]))
        let fingerprint = try keys.gpgFingerprint()
        if revoked {
            let certificate = try String(
                contentsOfFile: keys.gnupgHome + "/openpgp-revocs.d/\(fingerprint).rev", encoding: .utf8)
            let armed = keys.directory + "/revocation.asc"
            try certificate.replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN").write(
                toFile: armed, atomically: true, encoding: .utf8)
            try Self.gpg(keys, ["--batch", "--import", armed])
        } else {
            try Self.gpg(keys, ["--batch", "--quick-set-expire", fingerprint, "seconds=1"])
            sleep(3)
        }
        let keyring = keys.directory + "/changed.gpg"
        try Self.gpg(keys, ["--batch", "--output", keyring, "--export"])
        let message = try Self.refusal(
            world, "changed-key", try Self.runCommit(world, "changed-key", signed, ["policy.gpg_keyring": keyring]))
        #expect(message.contains(revoked ? "has been revoked" : "has expired"), "\(message)")
    }

    // MARK: - Tags

    /// A tag deleted and made again at another commit is a move
    /// (`policy.immutable_tags`), even signed by the trusted key.
    @Test func aTagDeletedAndRemadeElsewhereIsRejected() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        try keys.git(keys.sshSigning + ["tag", "-s", "-m", "v1", "v1"], in: world.repository)
        let settings = [
            "repo.ref": "v1", "policy.verify_signatures": "tag", "policy.allowed_signers": keys.allowedSigners,
        ]
        try Self.accepted(
            world, "first", try world.agent(job: ["JOB_ID": "first", "SCRIPT_ID": "hello"], settings: settings))
        try world.git("tag", "-d", "v1")
        try world.commit(Self.evil)
        try keys.git(keys.sshSigning + ["tag", "-s", "-m", "v1 again", "v1"], in: world.repository)
        let run = try world.agent(job: ["JOB_ID": "remade", "SCRIPT_ID": "hello"], settings: settings)
        #expect(run.status == 77, "\(run.stderr)")
        #expect(!run.stdout.contains("evil-ran"))
        try world.validateResult("remade")
        #expect((try world.result("remade")["error"] as? [String: Any])?["rule"] as? String == "policy.immutable_tags")
    }

    /// A signed tag object replayed under another name (a lightweight
    /// `refs/tags/release` pointing at the signed tag `v0-unsafe`): the
    /// signer vouched for `v0-unsafe`, not for `release`.
    @Test func aSignedTagUnderAnotherNameIsRejected() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        try keys.git(keys.sshSigning + ["tag", "-s", "-m", "do not deploy", "v0-unsafe"], in: world.repository)
        try world.git("update-ref", "refs/tags/release", try world.git("rev-parse", "refs/tags/v0-unsafe"))
        let settings = ["policy.verify_signatures": "tag", "policy.allowed_signers": keys.allowedSigners]
        let own = try world.agent(
            job: ["JOB_ID": "own-name", "SCRIPT_ID": "hello"],
            settings: settings.merging(["repo.ref": "v0-unsafe"]) { $1 })
        try Self.accepted(world, "own-name", own)
        let replayed = try world.agent(
            job: ["JOB_ID": "replayed", "SCRIPT_ID": "hello"],
            settings: settings.merging(["repo.ref": "release"]) { $1 })
        let message = try Self.refusal(world, "replayed", replayed)
        #expect(message.contains("v0-unsafe") && message.contains("release"), "\(message)")
    }
}
