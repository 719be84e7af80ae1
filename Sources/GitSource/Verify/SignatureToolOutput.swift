import ConfigKeys

/// Parsers for what `ssh-keygen -Y` and `gpgv --status-fd 1` print: pure
/// functions over their output, tested without running them.
enum SignatureToolOutput {
    /// The lines of a tool's output as Unicode scalars, cut at LF only: both
    /// tools write LF, and `Character.isNewline` would also cut at a vertical
    /// tab or U+2028 inside a user id.
    static func lines(_ output: String) -> [Substring.UnicodeScalarView] {
        output.unicodeScalars.split(separator: "\n")
    }

    /// The words of a line, cut at spaces.
    static func words(_ line: Substring.UnicodeScalarView) -> [String] {
        line.split(separator: " ").map { String(Substring($0)) }
    }

    /// The principals `ssh-keygen -Y find-principals` printed, one a line.
    static func principals(_ output: String) -> [String] {
        lines(output).map { line in
            var line = line
            while let first = line.first, first == " " || first == "\t" { line = line.dropFirst() }
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            return String(Substring(line))
        }.filter { !$0.isEmpty }
    }

    /// The key from `ssh-keygen -Y verify`'s success line,
    /// `Good "git" signature for ci@example.com with ED25519 key SHA256:abc…`
    /// → `ED25519 SHA256:abc…`; nil when the line is not there.
    static func sshKey(_ output: String) -> String? {
        for line in lines(output) where line.starts(with: "Good \"".unicodeScalars) {
            let words = words(line)
            guard words.count >= 4, words[words.count - 2].unicodeScalars.elementsEqual("key".unicodeScalars),
                words[words.count - 4].unicodeScalars.elementsEqual("with".unicodeScalars)
            else { continue }
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
        for line in lines(status) {
            let fields = words(line)
            guard fields.count >= 2, fields[0].unicodeScalars.elementsEqual("[GNUPG:]".unicodeScalars) else { continue }
            let keyword = fields[1].unicodeScalars.allSatisfy(\.isASCII) ? fields[1] : ""
            let argument = fields.count > 2 ? fields[2] : "?"
            switch keyword {
            case "GOODSIG":
                good.append((argument, fields.dropFirst(3).joined(separator: " ")))
            case "VALIDSIG":
                fingerprint = argument
            case "BADSIG": return .refused("the signature by key \(argument) is BAD (the signed data was changed)")
            case "EXPSIG": return .refused("the signature by key \(argument) has expired")
            case "EXPKEYSIG": return .refused("the signing key \(argument) has expired")
            case "REVKEYSIG": return .refused("the signing key \(argument) has been revoked")
            case "NO_PUBKEY": return .refused("the signing key \(argument) is not in \(ConfigKey.policyGPGKeyring)")
            case "ERRSIG": errorKey = argument  // Followed by NO_PUBKEY when the key is missing: say that instead.
            default: continue
            }
        }
        if let errorKey { return .refused("the signature by key \(errorKey) could not be checked") }
        guard good.count == 1, let signer = good.first else {
            return .refused(
                good.isEmpty ? "gpgv reported no good signature" : "the signature holds more than one signature")
        }
        // Hex compared byte for byte, ASCII case folded (Unicode's `uppercased()`
        // and `hasSuffix` would fold `ß` to `SS` and match canonical equivalents).
        func folded(_ text: String) -> [UInt8] { text.utf8.map { (0x61...0x7a).contains($0) ? $0 - 0x20 : $0 } }
        guard let fingerprint, folded(fingerprint).reversed().starts(with: folded(signer.keyID).reversed()) else {
            return .refused("gpgv reported a good signature without a matching VALIDSIG line")
        }
        return .good(userID: signer.userID, fingerprint: fingerprint)
    }
}
