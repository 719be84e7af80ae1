/// Parsers for what `ssh-keygen -Y` and `gpgv --status-fd 1` print: pure
/// functions over their output, tested without running them.
enum SignatureToolOutput {
    /// The principals `ssh-keygen -Y find-principals` printed, one a line.
    static func principals(_ output: String) -> [String] {
        output.split(whereSeparator: \.isNewline)
            .map { String($0.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed()) }
            .filter { !$0.isEmpty }
    }

    /// The key from `ssh-keygen -Y verify`'s success line,
    /// `Good "git" signature for ci@example.com with ED25519 key SHA256:abc…`
    /// → `ED25519 SHA256:abc…`; nil when the line is not there.
    static func sshKey(_ output: String) -> String? {
        for line in output.split(whereSeparator: \.isNewline) where line.hasPrefix("Good \"") {
            let words = line.split(separator: " ")
            guard words.count >= 4, words[words.count - 2] == "key", words[words.count - 4] == "with" else { continue }
            return "\(words[words.count - 3]) \(words[words.count - 1])"
        }
        return nil
    }

    /// gpgv's verdict from its status lines (`[GNUPG:] GOODSIG …`).
    enum GPGVerdict: Equatable {
        /// A good signature by a key in the keyring: the user id and the signing key's fingerprint.
        case good(userID: String, fingerprint: String)
        /// Anything else, with the reason in words.
        case refused(String)
    }

    /// Reads gpgv's status lines. Good only with `GOODSIG` and `VALIDSIG`
    /// and none of `BADSIG`, `ERRSIG`, `EXPSIG`, `EXPKEYSIG`, `REVKEYSIG`,
    /// `NO_PUBKEY`; more than one signature is refused.
    static func gpgVerdict(_ status: String) -> GPGVerdict {
        var good: [(keyID: String, userID: String)] = []
        var fingerprint: String?
        var errorKey: String?
        for line in status.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[0] == "[GNUPG:]" else { continue }
            let keyword = fields[1]
            let argument = fields.count > 2 ? String(fields[2]) : "?"
            switch keyword {
            case "GOODSIG":
                good.append((argument, fields.dropFirst(3).joined(separator: " ")))
            case "VALIDSIG":
                fingerprint = argument
            case "BADSIG": return .refused("the signature by key \(argument) is BAD (the signed data was changed)")
            case "EXPSIG": return .refused("the signature by key \(argument) has expired")
            case "EXPKEYSIG": return .refused("the signing key \(argument) has expired")
            case "REVKEYSIG": return .refused("the signing key \(argument) has been revoked")
            case "NO_PUBKEY": return .refused("the signing key \(argument) is not in policy.gpg_keyring")
            case "ERRSIG": errorKey = argument  // Followed by NO_PUBKEY when the key is missing: say that instead.
            default: continue
            }
        }
        if let errorKey { return .refused("the signature by key \(errorKey) could not be checked") }
        guard good.count == 1, let signer = good.first else {
            return .refused(good.isEmpty ? "gpgv reported no good signature" : "the signature holds more than one signature")
        }
        guard let fingerprint, fingerprint.uppercased().hasSuffix(signer.keyID.uppercased()) else {
            return .refused("gpgv reported a good signature without a matching VALIDSIG line")
        }
        return .good(userID: signer.userID, fingerprint: fingerprint)
    }
}
