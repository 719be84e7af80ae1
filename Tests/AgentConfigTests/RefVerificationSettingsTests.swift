import Testing

@testable import AgentConfig

/// `policy.require_ancestor_of`, `policy.verify_signatures`, `policy.allowed_signers`,
/// `policy.gpg_keyring`, `policy.immutable_tags`: what each accepts.
@Suite struct RefVerificationSettingsTests {
    func source(_ overrides: [String: String]) throws(ConfigError) -> SourceSettings {
        var flags = ["repo.url": "/srv/scripts"]
        flags.merge(overrides) { $1 }
        return try AgentConfiguration(values: ConfigLayers.merge(file: [:], environment: [:], flags: flags)).source
    }

    @Test func defaultsCheckNothingButMovedTags() throws {
        let source = try source([:])
        #expect(source.requireAncestorOf == nil)
        #expect(source.verifySignatures == .off)
        #expect(source.allowedSigners == nil && source.gpgKeyring == nil)
        #expect(source.immutableTags)
    }

    @Test func everyRuleCanBeSet() throws {
        let source = try source([
            "policy.require_ancestor_of": "refs/heads/main", "policy.verify_signatures": "either",
            "policy.allowed_signers": "/etc/sf-agent/allowed_signers",
            "policy.gpg_keyring": "/etc/sf-agent/keyring.gpg",
            "policy.immutable_tags": "false",
        ])
        #expect(source.requireAncestorOf == "refs/heads/main")
        #expect(source.verifySignatures == .either)
        #expect(source.allowedSigners == "/etc/sf-agent/allowed_signers")
        #expect(source.gpgKeyring == "/etc/sf-agent/keyring.gpg")
        #expect(!source.immutableTags)
    }

    @Test(arguments: ["refs/heads/main", "refs/heads/release/2026.11", "refs/heads/team-a/hot_fix"])
    func nestedBranchNamesAreAccepted(branch: String) throws {
        #expect(try source(["policy.require_ancestor_of": branch]).requireAncestorOf == branch)
    }

    @Test(arguments: [
        ["policy.require_ancestor_of": "main"],
        ["policy.require_ancestor_of": "refs/heads/../x"],
        ["policy.require_ancestor_of": "refs/tags/v1"],  // Only a branch vouches for ancestry.
        ["policy.require_ancestor_of": "refs/remotes/origin/main"],
        ["policy.require_ancestor_of": "refs/heads/*"],
        ["policy.require_ancestor_of": "refs/heads/main@{1}"],
        ["policy.require_ancestor_of": "refs/heads/"],
        ["policy.require_ancestor_of": "refs/heads//main"],
        ["policy.require_ancestor_of": "refs/heads/main.lock"],
        ["policy.require_ancestor_of": "refs/heads/.hidden"],
        ["policy.verify_signatures": "yes", "policy.allowed_signers": "/x"],
        ["policy.verify_signatures": "commit"],  // Nothing to check against.
        ["policy.verify_signatures": "tag", "policy.allowed_signers": "relative/file"],
        ["policy.immutable_tags": "maybe"],
    ])
    func badValuesAreRefusedNamingTheKey(settings: [String: String]) {
        #expect {
            _ = try source(settings)
        } throws: { error in
            settings.keys.contains { "\(error)".contains("`\($0)`") }
        }
    }
}
