import Foundation
import TestSupport
import Testing

/// `policy.require_ancestor_of`, `policy.verify_signatures` and
/// `policy.immutable_tags` through the real binary, with repositories,
/// SSH keys and OpenPGP keys made by git, ssh-keygen and gpg.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct RefVerificationTests {
    static let hello = ["hello.sh": "echo hello-from-verified\n"]

    /// The job's `error` object (rejections) after validating result.json.
    static func rejection(_ world: AgentWorld, _ jobID: String, _ run: Command.Output) throws -> [String: Any] {
        #expect(run.status == 77, "\(run.stderr)")
        #expect(!run.stdout.contains("hello-from-verified"))
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "rejected")
        return try #require(result["error"] as? [String: Any])
    }

    // MARK: - Ancestry

    @Test func aCommitOffTheRequiredBranchIsRejectedUntilItIsMerged() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(Self.hello)
        try world.git("checkout", "-q", "-b", "feature")
        let feature = try world.commit(["hello.sh": "echo hello-from-verified feature\n"], message: "unreviewed")
        try world.git("checkout", "-q", "main")
        let settings = ["repo.ref": feature, "policy.require_ancestor_of": "refs/heads/main"]

        let refused = try world.agent(job: ["JOB_ID": "off-main", "SCRIPT_ID": "hello"], settings: settings)
        let error = try Self.rejection(world, "off-main", refused)
        #expect(error["rule"] as? String == "policy.require_ancestor_of")
        let message = try #require(error["message"] as? String)
        #expect(message.contains(feature) && message.contains("refs/heads/main"), "\(message)")

        // Merged into main upstream: the same pinned commit (now cached) runs,
        // because main is read again, not taken from the cache.
        try world.git("merge", "-q", "--ff-only", "feature")
        let run = try world.agent(job: ["JOB_ID": "on-main", "SCRIPT_ID": "hello"], settings: settings)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("hello-from-verified feature"))
        try world.validateResult("on-main")
        let source = try #require(try world.result("on-main")["source"] as? [String: Any])
        let rules = try #require(source["rules_passed"] as? [String])
        #expect(
            rules.contains {
                $0.hasPrefix("policy.require_ancestor_of: commit \(feature) is reachable from refs/heads/main")
            }, "\(rules)")
    }

    @Test func aBranchNameMustBeOnTheRequiredBranchToo() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(Self.hello)
        let main = ["policy.require_ancestor_of": "refs/heads/main"]
        #expect(try world.agent(job: ["JOB_ID": "main", "SCRIPT_ID": "hello"], settings: main).status == 0)
        try world.git("checkout", "-q", "-b", "side")
        try world.commit(["hello.sh": "echo side\n"])
        let run = try world.agent(
            job: ["JOB_ID": "side", "SCRIPT_ID": "hello"], settings: main.merging(["repo.ref": "side"]) { $1 })
        #expect(try Self.rejection(world, "side", run)["rule"] as? String == "policy.require_ancestor_of")
        let missing = try world.agent(
            job: ["JOB_ID": "missing", "SCRIPT_ID": "hello"],
            settings: ["policy.require_ancestor_of": "refs/heads/nope"])
        #expect(try Self.rejection(world, "missing", missing)["rule"] as? String == "policy.require_ancestor_of")
    }

    // MARK: - Signatures

    /// An unsigned commit, and one signed by a key not in allowed_signers: each refused with its reason.
    @Test(arguments: [(false, "it is not signed"), (true, "its SSH key is not in policy.allowed_signers")])
    func aCommitWithoutATrustedSignatureIsRejected(signedByStranger: Bool, reason: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let trusted = try SigningKeys(in: world.root + "/trusted")
        try world.commit(Self.hello)
        if signedByStranger { try SigningKeys(in: world.root + "/stranger").signHead(in: world.repository) }
        let run = try world.agent(
            job: ["JOB_ID": "untrusted", "SCRIPT_ID": "hello"],
            settings: ["policy.verify_signatures": "commit", "policy.allowed_signers": trusted.allowedSigners])
        let error = try Self.rejection(world, "untrusted", run)
        #expect(error["rule"] as? String == "policy.verify_signatures")
        #expect((error["message"] as? String)?.contains(reason) == true, "\(error)")
    }

    @Test func anSSHSignedCommitRunsAndTheSignerIsRecorded() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        let commit = try keys.signHead(in: world.repository)
        let run = try world.agent(
            job: ["JOB_ID": "ssh-signed", "SCRIPT_ID": "hello"],
            settings: ["policy.verify_signatures": "commit", "policy.allowed_signers": keys.allowedSigners])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("hello-from-verified"))
        try world.validateResult("ssh-signed")
        let result = try world.result("ssh-signed")
        #expect(result["commit"] as? String == commit)
        let source = try #require(result["source"] as? [String: Any])
        let signature = try #require(source["signature"] as? [String: Any])
        #expect(signature["object"] as? String == "commit")
        #expect(signature["format"] as? String == "ssh")
        #expect(signature["signer"] as? String == SigningKeys.sshPrincipal)
        let fingerprint = try Command.check("/usr/bin/ssh-keygen", ["-l", "-f", keys.sshKey + ".pub"]).split(
            separator: " ")[1]
        #expect(signature["key"] as? String == "ED25519 \(fingerprint)", "\(signature)")
    }

    @Test func aGPGSignedCommitRunsWithTheKeyring() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys", gpg: true)
        try world.commit(Self.hello)
        try keys.signHead(in: world.repository, gpg: true)
        let run = try world.agent(
            job: ["JOB_ID": "gpg-signed", "SCRIPT_ID": "hello"],
            settings: ["policy.verify_signatures": "commit", "policy.gpg_keyring": keys.gpgKeyring])
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("gpg-signed")
        let source = try #require(try world.result("gpg-signed")["source"] as? [String: Any])
        let signature = try #require(source["signature"] as? [String: Any])
        #expect(signature["format"] as? String == "gpg")
        #expect(signature["signer"] as? String == SigningKeys.gpgUserID)
        #expect(signature["key"] as? String == (try keys.gpgFingerprint()))

        // The same signature against a keyring without that key: refused.
        let other = try SigningKeys(in: world.root + "/other", gpg: true)
        let refused = try world.agent(
            job: ["JOB_ID": "gpg-other", "SCRIPT_ID": "hello"],
            settings: ["policy.verify_signatures": "commit", "policy.gpg_keyring": other.gpgKeyring])
        let error = try Self.rejection(world, "gpg-other", refused)
        #expect((error["message"] as? String)?.contains("not in policy.gpg_keyring") == true, "\(error)")
    }

    @Test func aSignedAnnotatedTagRunsWithTagAndCommitRecorded() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        let commit = try world.commit(Self.hello)
        try keys.git(keys.sshSigning + ["tag", "-s", "-m", "release v1", "v1"], in: world.repository)
        let tagObject = try world.git("rev-parse", "refs/tags/v1")
        let settings = [
            "repo.ref": "v1", "policy.verify_signatures": "tag", "policy.allowed_signers": keys.allowedSigners,
        ]
        let run = try world.agent(job: ["JOB_ID": "tag-signed", "SCRIPT_ID": "hello"], settings: settings)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("tag-signed")
        let result = try world.result("tag-signed")
        #expect(result["commit"] as? String == commit)
        let source = try #require(result["source"] as? [String: Any])
        #expect(source["ref_name"] as? String == "refs/tags/v1")
        #expect(source["tag"] as? String == tagObject)
        let signature = try #require(source["signature"] as? [String: Any])
        #expect(signature["object"] as? String == "tag")
        #expect(signature["signer"] as? String == SigningKeys.sshPrincipal)

        // provenance.json annotates the repository dependency with the tag and the signature.
        let provenance = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: world.outputFolder("tag-signed") + "/provenance.json")))
                as? [String: Any])
        let definition = try #require((provenance["predicate"] as? [String: Any])?["buildDefinition"] as? [String: Any])
        let repository = try #require((definition["resolvedDependencies"] as? [[String: Any]])?.first)
        let annotations = try #require(repository["annotations"] as? [String: Any])
        #expect(annotations["git_tag"] as? String == tagObject)
        #expect((annotations["signature"] as? [String: Any])?["signer"] as? String == SigningKeys.sshPrincipal)

        // The commit itself is unsigned: `commit` refuses what `tag` accepted.
        let commitOnly = try world.agent(
            job: ["JOB_ID": "tag-commit-mode", "SCRIPT_ID": "hello"],
            settings: settings.merging(["policy.verify_signatures": "commit"]) { $1 })
        #expect(
            try Self.rejection(world, "tag-commit-mode", commitOnly)["rule"] as? String == "policy.verify_signatures")
    }

    @Test func tagModeRefusesAnUnsignedOrLightweightTag() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        try keys.signHead(in: world.repository)  // A signed commit does not satisfy `tag`.
        try world.git("tag", "-a", "-m", "unsigned", "v1")
        try world.git("tag", "light")
        for (job, ref) in [("unsigned-tag", "v1"), ("light-tag", "light")] {
            let run = try world.agent(
                job: ["JOB_ID": job, "SCRIPT_ID": "hello"],
                settings: [
                    "repo.ref": ref, "policy.verify_signatures": "tag", "policy.allowed_signers": keys.allowedSigners,
                ])
            #expect(try Self.rejection(world, job, run)["rule"] as? String == "policy.verify_signatures")
        }
    }

    @Test func eitherAcceptsASignedCommitUnderAnUnsignedTag() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        try keys.signHead(in: world.repository)
        try world.git("tag", "-a", "-m", "unsigned", "v1")
        let settings = [
            "repo.ref": "v1", "policy.verify_signatures": "either", "policy.allowed_signers": keys.allowedSigners,
        ]
        let run = try world.agent(job: ["JOB_ID": "either", "SCRIPT_ID": "hello"], settings: settings)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("either")
        let source = try #require(try world.result("either")["source"] as? [String: Any])
        #expect((source["signature"] as? [String: Any])?["object"] as? String == "commit")

        // Neither signed: refused, naming both.
        try world.commit(["hello.sh": "echo unsigned\n"])
        try world.git("tag", "-a", "-m", "unsigned", "v2")
        let refused = try world.agent(
            job: ["JOB_ID": "neither", "SCRIPT_ID": "hello"], settings: settings.merging(["repo.ref": "v2"]) { $1 })
        let message = try #require(try Self.rejection(world, "neither", refused)["message"] as? String)
        #expect(message.contains("the tag's signature") && message.contains("the commit's signature"), "\(message)")
    }

    // MARK: - Moved tags

    @Test func aTagMovedToAnotherCommitIsRejected() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let first = try world.commit(Self.hello)
        try world.git("tag", "-a", "-m", "v1", "v1")
        let ran = try world.agent(job: ["JOB_ID": "tag-first", "SCRIPT_ID": "hello"], settings: ["repo.ref": "v1"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(try world.result("tag-first")["commit"] as? String == first)

        let second = try world.commit(["hello.sh": "echo moved\n"])
        try world.git("tag", "-f", "-a", "-m", "v1 again", "v1")
        // The cache keeps the tag where it was: every later job sees the move.
        for job in ["tag-moved", "tag-moved-again"] {
            let run = try world.agent(job: ["JOB_ID": job, "SCRIPT_ID": "hello"], settings: ["repo.ref": "v1"])
            #expect(!run.stdout.contains("moved"))
            let error = try Self.rejection(world, job, run)
            #expect(error["rule"] as? String == "policy.immutable_tags")
            let message = try #require(error["message"] as? String)
            #expect(message.contains(first) && message.contains(second), "\(message)")
        }
        let allowed = try world.agent(
            job: ["JOB_ID": "tag-move-allowed", "SCRIPT_ID": "hello"],
            settings: ["repo.ref": "v1", "policy.immutable_tags": "false"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try world.result("tag-move-allowed")["commit"] as? String == second)
    }

    // MARK: - check

    @Test func checkShowsTheVerificationRulesThatPassed() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let keys = try SigningKeys(in: world.root + "/keys")
        try world.commit(Self.hello)
        let commit = try keys.signHead(in: world.repository)
        let run = try world.agent(
            "check", job: ["JOB_ID": "check-verify", "SCRIPT_ID": "hello"],
            settings: [
                "policy.require_ancestor_of": "refs/heads/main", "policy.verify_signatures": "commit",
                "policy.allowed_signers": keys.allowedSigners,
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout.contains(
                "rule passed  policy.require_ancestor_of: commit \(commit) is reachable from refs/heads/main"),
            "\(run.stdout)")
        #expect(
            run.stdout.contains(
                "rule passed  policy.verify_signatures (commit): the commit is signed by \(SigningKeys.sshPrincipal) (ssh key ED25519 SHA256:"
            ), "\(run.stdout)")
    }
}
