/// What `ssh-keygen -Y` and `gpgv --status-fd` print, read as
/// `SignatureToolOutput` documents it, over bytes: lines end at LF only
/// (both tools write LF; a user id may hold U+2028 or a lone CR).
enum ReferenceToolOutput {
    static func lines(_ text: [UInt8]) -> [[UInt8]] {
        text.split(separator: 0x0a).map(Array.init)
    }

    static func principals(_ text: [UInt8]) -> [[UInt8]] {
        lines(text).map { line in
            var line = line
            while let first = line.first, first == 0x20 || first == 0x09 { line.removeFirst() }
            while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0d { line.removeLast() }
            return line
        }.filter { !$0.isEmpty }
    }

    static func sshKey(_ text: [UInt8]) -> [UInt8]? {
        for line in lines(text) where line.starts(with: Array("Good \"".utf8)) {
            let words = line.split(separator: 0x20).map(Array.init)
            guard words.count >= 4, words[words.count - 2] == Array("key".utf8),
                words[words.count - 4] == Array("with".utf8)
            else { continue }
            return words[words.count - 3] + [0x20] + words[words.count - 1]
        }
        return nil
    }

    /// Good (user id, fingerprint) or nil for refused.
    static func gpg(_ text: [UInt8]) -> (userID: [UInt8], fingerprint: [UInt8])? {
        var good: [(keyID: [UInt8], userID: [UInt8])] = []
        var fingerprint: [UInt8]?
        var error = false
        for line in lines(text) {
            let fields = line.split(separator: 0x20).map(Array.init)
            guard fields.count >= 2, fields[0] == Array("[GNUPG:]".utf8) else { continue }
            let argument = fields.count > 2 ? fields[2] : Array("?".utf8)
            switch String(decoding: fields[1], as: UTF8.self) {
            case "GOODSIG": good.append((argument, Array(fields.dropFirst(3).joined(separator: [0x20]))))
            case "VALIDSIG": fingerprint = argument
            case "BADSIG", "EXPSIG", "EXPKEYSIG", "REVKEYSIG", "NO_PUBKEY": return nil
            case "ERRSIG": error = true
            default: continue
            }
        }
        guard !error, good.count == 1, let fingerprint else { return nil }
        func upper(_ bytes: [UInt8]) -> [UInt8] { bytes.map { (0x61...0x7a).contains($0) ? $0 - 0x20 : $0 } }
        let keyID = upper(good[0].keyID)
        guard upper(fingerprint).count >= keyID.count, Array(upper(fingerprint).suffix(keyID.count)) == keyID else {
            return nil
        }
        return (good[0].userID, fingerprint)
    }
}
