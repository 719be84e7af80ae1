import FoundationEssentials

/// A pinned OpenSSH `known_hosts` file, checked from libgit2's
/// `certificate_check` callback.
///
/// Plain host names (`host`, `[host]:port` for a port other than 22,
/// comma-separated) are matched exactly; hashed names (`|1|…`), wildcards,
/// `@cert-authority` lines and negations are not supported and never match.
/// A `@revoked` key is refused.
struct KnownHosts {
    struct Entry: Equatable {
        var hosts: [String]
        var keyType: String
        var key: [UInt8]
        var revoked: Bool
    }

    let entries: [Entry]

    init(text: String) {
        var entries: [Entry] = []
        // Lines end at LF only, as OpenSSH reads them (`Character.isNewline`
        // also cut at a vertical tab or U+2028, so a comment could hide an
        // entry); a CR is a blank, so a CRLF file reads the same.
        for line in text.unicodeScalars.split(separator: "\n") {
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map {
                String(Substring($0))
            }
            guard let first = fields.first, first.unicodeScalars.first != "#" else { continue }
            var revoked = false
            if first.unicodeScalars.first == "@" {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            let hosts = fields[0].unicodeScalars.split(separator: ",").map { String(Substring($0)) }
            entries.append(Entry(hosts: hosts, keyType: fields[1], key: Array(key), revoked: revoked))
        }
        self.entries = entries
    }

    /// The name OpenSSH files `host` under: `host`, or `[host]:port` off port 22.
    static func name(host: String, port: Int?) -> String {
        guard let port, port != 22 else { return host }
        return "[\(host)]:\(port)"
    }

    /// The verdict for `key` presented by `hostName` (as ``name(host:port:)`` builds it).
    enum Verdict: Equatable { case trusted, unknownHost, changed, revoked }

    func check(hostName: String, key: [UInt8]) -> Verdict {
        // Byte for byte: `String`'s == holds canonically equivalent names equal.
        let forHost = entries.filter { $0.hosts.contains { $0.utf8.elementsEqual(hostName.utf8) } }
        if forHost.contains(where: { $0.revoked && $0.key == key }) { return .revoked }
        if forHost.contains(where: { !$0.revoked && $0.key == key }) { return .trusted }
        return forHost.contains(where: { !$0.revoked }) ? .changed : .unknownHost
    }

    /// `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it.
    static func fingerprint(sha256: [UInt8]) -> String {
        var text = Data(sha256).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// The key type as written in known_hosts, from the raw key blob (its first string).
    static func keyType(of blob: [UInt8]) -> String {
        guard blob.count >= 4 else { return "unknown" }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length < 64, blob.count >= 4 + length else { return "unknown" }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }
}
