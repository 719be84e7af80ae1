import Testing

@testable import GitSource

/// Inputs the signatures fuzz harness found (Fuzz/Corpus/signatures); each failed before its fix.
@Suite struct ReaderFuzzFindingTests {
    static let key = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"

    /// `Character.isNewline` cut lines at a vertical tab, a form feed, NEL or
    /// U+2028, where OpenSSH reads one line: a commented-out key came back.
    @Test(arguments: ["\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\r"])
    func aCommentEndsOnlyAtLF(separator: String) {
        let hosts = KnownHosts(text: "# old: git.internal\(separator)git.internal ssh-ed25519 \(Self.key)\n")
        #expect(hosts.entries.isEmpty)
    }

    @Test func crlfFilesReadTheSame() {
        let hosts = KnownHosts(text: "git.internal ssh-ed25519 \(Self.key)\r\n[h]:2222,h ssh-ed25519 \(Self.key)\r\n")
        #expect(hosts.entries.map(\.hosts) == [["git.internal"], ["[h]:2222", "h"]])
    }

    /// Host names were compared as `String`s, canonically equivalent spellings equal.
    @Test func hostNamesCompareBytes() throws {
        let hosts = KnownHosts(text: "caf\u{e9}.internal ssh-ed25519 \(Self.key)\n")
        let key = try #require(hosts.entries.first?.key)
        #expect(hosts.check(hostName: "caf\u{e9}.internal", key: key) == .trusted)
        #expect(hosts.check(hostName: "cafe\u{301}.internal", key: key) == .unknownHost)
    }

    @Test func toolOutputLinesEndOnlyAtLF() {
        #expect(
            SignatureToolOutput.principals("a@example.com\u{2028}b@example.com\n") == [
                "a@example.com\u{2028}b@example.com"
            ])
        let status =
            "[GNUPG:] GOODSIG 05693CE0CD44A33B Eve\u{2028}[GNUPG:] BADSIG 05693CE0CD44A33B\n"
            + "[GNUPG:] VALIDSIG FAC5B6EF56D2146BDC7E90C305693CE0CD44A33B\n"
        #expect(
            SignatureToolOutput.gpgVerdict(status)
                == .good(
                    userID: "Eve\u{2028}[GNUPG:] BADSIG 05693CE0CD44A33B",
                    fingerprint: "FAC5B6EF56D2146BDC7E90C305693CE0CD44A33B"))
    }

    /// `uppercased()` folds `ß` to `SS`: a key id `SS` matched a fingerprint ending in `ß`.
    @Test func keyIDsFoldOnlyASCII() {
        let status = "[GNUPG:] GOODSIG SS Eve\n[GNUPG:] VALIDSIG ABC\u{df}\n"
        #expect(
            SignatureToolOutput.gpgVerdict(status)
                == .refused("gpgv reported a good signature without a matching VALIDSIG line"))
        #expect(
            SignatureToolOutput.gpgVerdict("[GNUPG:] GOODSIG 0a Eve\n[GNUPG:] VALIDSIG FF0A\n")
                == .good(userID: "Eve", fingerprint: "FF0A"))
    }
}
