import ConfigKeys
import Testing

@testable import GitSource

private let fingerprint = "FAC5B6EF56D2146BDC7E90C305693CE0CD44A33B"

/// The pure parts of signature verification: splitting a tag, reading the
/// tools' output, deciding which objects to check. No I/O.
struct SignatureParsingTests {
    static let tagHead =
        "object 0123456789abcdef0123456789abcdef01234567\ntype commit\ntag v1\ntagger t <t@e> 1 +0000\n\nrelease v1\n"
    static let sshBlock = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"
    static let pgpBlock = "-----BEGIN PGP SIGNATURE-----\n\niHUEABYKAB0WIQ\n-----END PGP SIGNATURE-----\n"

    @Test(arguments: [(sshBlock, SignatureFormat.ssh), (pgpBlock, SignatureFormat.gpg)])
    func aSignedTagSplitsIntoPayloadAndSignature(block: String, format: SignatureFormat) throws {
        let signed = try #require(SignedPayload(tag: Array((Self.tagHead + block).utf8)))
        #expect(signed.payload == Array(Self.tagHead.utf8))
        #expect(signed.signature == Array(block.utf8))
        #expect(SignatureFormat.of(signed.signature) == format)
    }

    @Test func theLastArmorLineStartsTheSignature() throws {
        // A message that quotes an armor line mid-text: git takes the last one.
        let message = Self.tagHead + "-----BEGIN PGP SIGNATURE----- quoted\nmore\n"
        let signed = try #require(SignedPayload(tag: Array((message + Self.sshBlock).utf8)))
        #expect(signed.payload == Array(message.utf8))
        #expect(signed.signature == Array(Self.sshBlock.utf8))
    }

    @Test func anUnsignedTagHasNoSignature() {
        #expect(SignedPayload(tag: Array(Self.tagHead.utf8)) == nil)
        #expect(
            SignedPayload(tag: Array("x -----BEGIN SSH SIGNATURE-----\n".utf8)) == nil, "only at the start of a line")
    }

    static let commitHead =
        "tree 0123456789abcdef0123456789abcdef01234567\nauthor a <a@e> 1 +0000\ncommitter a <a@e> 1 +0000\n"

    /// A commit splits as git splits it: the `gpgsig` header and its continuation lines are the signature.
    @Test func aSignedCommitSplitsIntoPayloadAndSignature() throws {
        let raw =
            Self.commitHead
            + "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nmessage\n"
        let signed = try #require(SignedPayload(commit: Array(raw.utf8)))
        #expect(String(decoding: signed.payload, as: UTF8.self) == Self.commitHead + "\nmessage\n")
        #expect(String(decoding: signed.signature, as: UTF8.self) == Self.sshBlock)
    }

    /// libgit2 1.5 takes a `gpgsig ` line from the message too; git does not, nor does the agent.
    @Test func aSignatureInTheMessageIsNoSignature() {
        let raw =
            Self.commitHead
            + "\nmessage\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n"
        #expect(SignedPayload(commit: Array(raw.utf8)) == nil)
        #expect(SignedPayload(commit: Array((Self.commitHead + "\nmessage\n").utf8)) == nil)
    }

    /// Another hash's signature header (`gpgsig-sha256`) is left out of the payload, as git does.
    @Test func anotherAlgorithmsSignatureIsLeftOutOfThePayload() throws {
        let other = "gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n T1RIRVI=\n -----END SSH SIGNATURE-----\n"
        let raw =
            Self.commitHead + other
            + "gpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\nencoding x\n\nmessage\n"
        let signed = try #require(SignedPayload(commit: Array(raw.utf8)))
        #expect(String(decoding: signed.payload, as: UTF8.self) == Self.commitHead + "encoding x\n\nmessage\n")
        #expect(String(decoding: signed.signature, as: UTF8.self) == Self.sshBlock)
    }

    /// A signed tag vouches only under its own name: its `tag` header, read from the headers alone.
    @Test func aTagVouchesOnlyForItsOwnName() {
        #expect(SignedPayload.tagName(in: Array(Self.tagHead.utf8)) == "v1")
        #expect(
            SignedPayload.tagName(in: Array("object 01\ntype commit\n\ntag v1\n".utf8)) == nil, "not in the message")
        #expect(SignaturePlan.tagNameProblem("v1", ref: "refs/tags/v1") == nil)
        for ref in ["refs/tags/release", "refs/heads/v1", "refs/tags/v1/x", "v1"] {
            #expect(
                SignaturePlan.tagNameProblem("v1", ref: ref)?.contains("vouches only for refs/tags/v1") == true,
                "\(ref)")
        }
        #expect(SignaturePlan.tagNameProblem(nil, ref: "refs/tags/v1") != nil)
    }

    @Test func unknownFormatsAreNotGuessed() {
        #expect(SignatureFormat.of(Array("-----BEGIN SIGNED MESSAGE-----\n".utf8)) == nil)
        #expect(SignatureFormat.of(Array("garbage".utf8)) == nil)
    }

    @Test func findPrincipalsOutput() {
        #expect(SignatureToolOutput.principals("ci@example.com\n") == ["ci@example.com"])
        #expect(SignatureToolOutput.principals("a@x\n  b@y \r\n\n") == ["a@x", "b@y"])
        #expect(SignatureToolOutput.principals("").isEmpty)
    }

    @Test func sshVerifyOutput() {
        let good =
            "Good \"git\" signature for ci@example.com with ED25519 key SHA256:dbNFYdjN5MPthsKAV5bCQvl+J96LxAAm7TM2XoJ3/gw\n"
        #expect(SignatureToolOutput.sshKey(good) == "ED25519 SHA256:dbNFYdjN5MPthsKAV5bCQvl+J96LxAAm7TM2XoJ3/gw")
        #expect(SignatureToolOutput.sshKey("Could not verify signature.\n") == nil)
        #expect(SignatureToolOutput.sshKey("Good \"git\" signature for x\n") == nil)
    }

    @Test func gpgvGoodSignature() {
        let status = """
            [GNUPG:] NEWSIG
            [GNUPG:] KEY_CONSIDERED \(fingerprint) 0
            [GNUPG:] SIG_ID abc 2026-11-29 1795965132
            [GNUPG:] GOODSIG 05693CE0CD44A33B CI Signer <ci-gpg@example.com>
            [GNUPG:] VALIDSIG \(fingerprint) 2026-11-29 1795965132 0 4 0 22 10 00 \(fingerprint)
            """
        #expect(
            SignatureToolOutput.gpgVerdict(status)
                == .good(userID: "CI Signer <ci-gpg@example.com>", fingerprint: fingerprint))
    }

    @Test(arguments: [
        ("[GNUPG:] BADSIG 05693CE0CD44A33B CI Signer", "BAD"),
        (
            "[GNUPG:] ERRSIG 05693CE0CD44A33B 22 10 00 1795965132 9 -\n[GNUPG:] NO_PUBKEY 05693CE0CD44A33B",
            "not in policy.gpg_keyring"
        ),
        ("[GNUPG:] ERRSIG 05693CE0CD44A33B 22 10 00 1795965132 4 -", "could not be checked"),
        ("[GNUPG:] EXPKEYSIG 05693CE0CD44A33B CI Signer", "expired"),
        ("[GNUPG:] REVKEYSIG 05693CE0CD44A33B CI Signer", "revoked"),
        ("[GNUPG:] GOODSIG 05693CE0CD44A33B CI Signer", "without a matching VALIDSIG"),
        ("[GNUPG:] GOODSIG 1111111111111111 CI\n[GNUPG:] VALIDSIG \(fingerprint) x", "without a matching VALIDSIG"),
        ("gpgv: Good signature from \"forged\"\n", "no good signature"),
    ])
    func gpgvRefusals(status: String, reason: String) {
        guard case .refused(let text) = SignatureToolOutput.gpgVerdict(status) else {
            Issue.record("accepted: \(status)")
            return
        }
        #expect(text.contains(reason), "\(text)")
    }

    @Test func twoGoodSignaturesAreRefused() {
        let line = "[GNUPG:] GOODSIG 05693CE0CD44A33B A\n[GNUPG:] VALIDSIG \(fingerprint) x\n"
        #expect(SignatureToolOutput.gpgVerdict(line + line) != .good(userID: "A", fingerprint: fingerprint))
    }

    @Test func whichObjectsEachModeChecks() throws {
        #expect(try SignaturePlan.objects(for: .off, hasTag: true, ref: "v1").isEmpty)
        #expect(try SignaturePlan.objects(for: .commit, hasTag: true, ref: "v1") == [.commit])
        #expect(try SignaturePlan.objects(for: .tag, hasTag: true, ref: "v1") == [.tag])
        #expect(try SignaturePlan.objects(for: .either, hasTag: true, ref: "v1") == [.tag, .commit])
        #expect(try SignaturePlan.objects(for: .either, hasTag: false, ref: "main") == [.commit])
        #expect(throws: SourceError.self) { try SignaturePlan.objects(for: .tag, hasTag: false, ref: "main") }
        do {
            _ = try SignaturePlan.objects(for: .tag, hasTag: false, ref: "main")
        } catch {
            #expect(error.code == .refused && error.rule == .policyVerifySignatures)
        }
    }

    @Test func theRefusalNamesEachObjectsReason() {
        let error = SignaturePlan.refusal(
            commit: "abc", ref: "v1", reasons: [(.tag, "it is not signed"), (.commit, "bad key")])
        #expect(error.code == .refused && error.rule == .policyVerifySignatures)
        #expect(
            error.message.contains("the tag's signature: it is not signed; the commit's signature: bad key"),
            "\(error.message)")
    }
}
