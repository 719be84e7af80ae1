import ConfigKeys

/// The source stage's settings: how to fetch, with which credentials, how
/// the shared cache behaves, and which commits policy vouches for.
///
/// ```swift
/// configuration.source.fetchTimeout        // .seconds(300)
/// configuration.source.verifySignatures    // .off
/// ```
package struct SourceSettings: Sendable, Equatable {
    /// `policy.verify_signatures`: which object must carry a good signature.
    package enum SignatureRequirement: String, Sendable, CaseIterable {
        case off, commit, tag, either
    }

    /// `repo.submodules`: what a commit with `.gitmodules` gets.
    package enum SubmodulePolicy: String, Sendable, CaseIterable {
        case notice, refuse
    }

    package var fetchTimeout: Duration
    package var fetchAttempts: Int
    package var tokenFile: String?
    package var sshKeyFile: String?
    package var sshKnownHosts: String?
    package var caFile: String?
    package var submodules: SubmodulePolicy
    package var lockTimeout: Duration
    package var keepDays: Int
    /// 0 means no limit.
    package var maxBytes: Int64
    /// A full ref name (`refs/heads/main`), or nil.
    package var requireAncestorOf: String?
    package var verifySignatures: SignatureRequirement
    package var allowedSigners: String?
    package var gpgKeyring: String?
    /// `policy.immutable_tags`: a tag the cache knew at one commit may not move to another.
    package var immutableTags: Bool

    init(_ parser: ConfigValueParser) throws(ConfigError) {
        fetchTimeout = try parser.duration(.repoFetchTimeout)
        guard let attempts: Int = ConfigValueParser.decimal(Substring(parser.string(.repoFetchAttempts))),
            (1...20).contains(attempts)
        else {
            throw parser.invalid(.repoFetchAttempts, expected: "a whole number from 1 to 20")
        }
        fetchAttempts = attempts
        tokenFile = try Self.optionalPath(parser, .repoTokenFile)
        sshKeyFile = try Self.optionalPath(parser, .repoSSHKeyFile)
        sshKnownHosts = try Self.optionalPath(parser, .repoSSHKnownHosts)
        caFile = try Self.optionalPath(parser, .repoCAFile)
        submodules = try parser.choice(.repoSubmodules, as: SubmodulePolicy.self)
        lockTimeout = try parser.duration(.cacheLockTimeout)
        guard let days: Int = ConfigValueParser.decimal(Substring(parser.string(.cacheKeepDays))) else {
            throw parser.invalid(.cacheKeepDays, expected: "a whole number of days (0 or more)")
        }
        keepDays = days
        guard let bytes = Self.parseSize(parser.string(.cacheMaxBytes)) else {
            throw parser.invalid(
                .cacheMaxBytes, expected: "a size in bytes with an optional K, M or G suffix (0: no limit)")
        }
        maxBytes = bytes
        let ancestor = parser.string(.policyRequireAncestorOf)
        if ancestor.isEmpty {
            requireAncestorOf = nil
        } else {
            guard Self.isBranchName(ancestor) else {
                throw parser.invalid(.policyRequireAncestorOf, expected: "a full branch name such as refs/heads/main")
            }
            requireAncestorOf = ancestor
        }
        verifySignatures = try parser.choice(.policyVerifySignatures, as: SignatureRequirement.self)
        allowedSigners = try Self.optionalPath(parser, .policyAllowedSigners)
        gpgKeyring = try Self.optionalPath(parser, .policyGPGKeyring)
        immutableTags = try parser.bool(.policyImmutableTags)
        if verifySignatures != .off && allowedSigners == nil && gpgKeyring == nil {
            throw parser.invalid(
                .policyVerifySignatures,
                expected: "off, or policy.allowed_signers or policy.gpg_keyring set to check signatures against")
        }
    }

    /// `refs/heads/<name>` by git's rules for ref names (`git check-ref-format`):
    /// no `..`, `@{`, control characters, space, `~ ^ : ? * [ \`, no empty,
    /// dot-leading or `.lock` component, no trailing `/` or `.`. Only a
    /// branch can vouch for ancestry: a tag or a remote-tracking name cannot.
    /// Checked byte for byte, as git does: a combining mark after `/` or `.`
    /// makes one `Character` of them and would hide `..` or a component.
    static func isBranchName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func has(_ part: String) -> Bool {
            let needle = Array(part.utf8)
            return bytes.count >= needle.count
                && (0...(bytes.count - needle.count)).contains { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        guard bytes.starts(with: "refs/heads/".utf8), bytes.count > "refs/heads/".utf8.count,
            !has(".."), !has("@{"), bytes.last != UInt8(ascii: "."), bytes.last != UInt8(ascii: "/")
        else { return false }
        let forbidden = Set(" ~^:?*[\\\u{7f}".utf8)
        guard !bytes.contains(where: { $0 < 0x20 || forbidden.contains($0) }) else { return false }
        return !bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains {
            $0.isEmpty || $0.first == UInt8(ascii: ".") || $0.reversed().starts(with: ".lock".utf8.reversed())
        }
    }

    private static func optionalPath(_ parser: ConfigValueParser, _ key: ConfigKey) throws(ConfigError) -> String? {
        let value = parser.string(key)
        if value.isEmpty { return nil }
        guard value.hasPrefix("/") else { throw parser.invalid(key, expected: "an absolute path") }
        return value
    }

    /// `0`, `512`, `10K`, `300M`, `2G` (powers of 1024).
    static func parseSize(_ text: String) -> Int64? {
        let scales: [(String, Int64)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40)]
        for (suffix, scale) in scales where text.uppercased().hasSuffix(suffix) {
            guard let number: Int64 = ConfigValueParser.decimal(text.dropLast()) else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: scale)
            return overflow ? nil : product
        }
        guard let number: Int64 = ConfigValueParser.decimal(Substring(text)) else { return nil }
        return number
    }
}
