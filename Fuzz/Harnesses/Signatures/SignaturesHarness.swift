@testable import GitSource

/// Fuzzes what the source stage reads from outside: pinned `known_hosts`,
/// the output of `ssh-keygen -Y` and `gpgv`, and signed commit and tag
/// objects (a repository's bytes, split before a signature is checked).
///
/// Input: a mode byte, then per mode: known_hosts (a host, a key choice,
/// the file), tool output, or a raw object.
/// Properties: each reader agrees with its reference (ReferenceKnownHosts,
/// ReferenceToolOutput, ReferenceSignedObjects); a split object's payload
/// and signature come from the object (the signature's bytes in order).
enum Harness {
    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        switch reader.byte() % 4 {
        case 0: knownHosts(&reader)
        case 1: toolOutput(reader.remaining())
        case 2: commit(reader.remaining())
        default: tag(reader.remaining())
        }
    }

    static func knownHosts(_ reader: inout FuzzReader) {
        let host = String(decoding: reader.field(separator: 0x0a), as: UTF8.self)
        let choice = Int(reader.byte())
        let text = String(decoding: reader.remaining(), as: UTF8.self)
        let expected = ReferenceKnownHosts.entries(Array(text.utf8))
        let found = KnownHosts(text: text).entries.map {
            ReferenceKnownHosts.Entry(hosts: $0.hosts.map { Array($0.utf8) }, key: $0.key, revoked: $0.revoked)
        }
        Property.expect(found == expected, "known_hosts \(shown(text))", expected: expected, found: found)
        let keys = expected.map(\.key) + [[]]
        let key = keys[choice % keys.count]
        let verdict = KnownHosts(text: text).check(hostName: host, key: key)
        let reference = ReferenceKnownHosts.check(expected, host: Array(host.utf8), key: key)
        Property.expect(
            "\(verdict)" == "\(reference)", "the verdict for \(shown(host))", expected: reference, found: verdict)
    }

    static func toolOutput(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let utf8 = Array(text.utf8)
        let principals = SignatureToolOutput.principals(text).map { Array($0.utf8) }
        Property.expect(
            principals == ReferenceToolOutput.principals(utf8), "principals of \(shown(text))",
            expected: ReferenceToolOutput.principals(utf8).map(shown), found: principals.map(shown))
        let key = SignatureToolOutput.sshKey(text).map { Array($0.utf8) }
        Property.expect(
            key == ReferenceToolOutput.sshKey(utf8), "the ssh key of \(shown(text))",
            expected: ReferenceToolOutput.sshKey(utf8).map(shown) as Any, found: key.map(shown) as Any)
        let expected = ReferenceToolOutput.gpg(utf8)
        switch SignatureToolOutput.gpgVerdict(text) {
        case .good(let userID, let fingerprint):
            Property.expect(
                expected.map { $0.userID == Array(userID.utf8) && $0.fingerprint == Array(fingerprint.utf8) } == true,
                "gpgv's verdict on \(shown(text))",
                expected: expected.map { (shown($0.userID), shown($0.fingerprint)) } as Any,
                found: (userID, fingerprint))
        case .refused(let reason):
            Property.expect(expected == nil, "gpgv's verdict on \(shown(text))", expected: "good", found: reason)
        }
    }

    static func commit(_ raw: [UInt8]) {
        same("commit", raw, found: SignedPayload(commit: raw), expected: ReferenceSignedObjects.commit(raw))
    }

    /// The object's split and the reference's are the same.
    static func same(
        _ kind: String, _ raw: [UInt8], found: SignedPayload?, expected: (payload: [UInt8], signature: [UInt8])?
    ) {
        Property.expect(
            found?.payload == expected?.payload && found?.signature == expected?.signature,
            "the \(kind) split of \(shown(raw))",
            expected: expected.map { (shown($0.payload), shown($0.signature)) } as Any,
            found: found.map { (shown($0.payload), shown($0.signature)) } as Any)
    }

    static func tag(_ raw: [UInt8]) {
        let found = SignedPayload(tag: raw)
        same("tag", raw, found: found, expected: ReferenceSignedObjects.tag(raw))
        if let found { Property.expect(found.payload + found.signature == raw, "a split tag is the tag") }
        let name = SignedPayload.tagName(in: raw).map { Array($0.utf8) }
        let expectedName = ReferenceSignedObjects.tagName(raw).map { Array(String(decoding: $0, as: UTF8.self).utf8) }
        Property.expect(
            name == expectedName, "the tag name of \(shown(raw))", expected: expectedName as Any, found: name as Any)
        let format = SignatureFormat.of(raw)
        let armor: [(String, SignatureFormat)] = [
            ("-----BEGIN SSH SIGNATURE-----", .ssh), ("-----BEGIN PGP SIGNATURE-----", .gpg),
            ("-----BEGIN PGP MESSAGE-----", .gpg),
        ]
        let expectedFormat = armor.first { raw.starts(with: Array($0.0.utf8)) }?.1
        Property.expect(
            format == expectedFormat, "the signature format", expected: expectedFormat as Any, found: format as Any)
    }
}
