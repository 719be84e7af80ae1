import FoundationEssentials

/// `known_hosts` read as docs/configuration.md and `KnownHosts` describe
/// it, over bytes: lines end at LF; fields are separated by spaces, tabs
/// and CRs (a CRLF file reads the same); `#` lines are comments; a line
/// may start with `@revoked` (other markers are skipped); `hosts type
/// base64-key`; host names are compared byte for byte.
enum ReferenceKnownHosts {
    struct Entry: Equatable {
        var hosts: [[UInt8]]
        var key: [UInt8]
        var revoked: Bool
    }

    static func entries(_ text: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        for line in text.split(separator: 0x0a) {
            var fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }).map(Array.init)
            guard let first = fields.first, first.first != UInt8(ascii: "#") else { continue }
            var revoked = false
            if first.first == UInt8(ascii: "@") {
                guard first == Array("@revoked".utf8) else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: String(decoding: fields[2], as: UTF8.self)) else {
                continue
            }
            entries.append(
                Entry(
                    hosts: fields[0].split(separator: UInt8(ascii: ",")).map(Array.init), key: Array(key),
                    revoked: revoked))
        }
        return entries
    }

    enum Verdict: Equatable { case trusted, unknownHost, changed, revoked }

    static func check(_ entries: [Entry], host: [UInt8], key: [UInt8]) -> Verdict {
        let forHost = entries.filter { $0.hosts.contains(host) }
        if forHost.contains(where: { $0.revoked && $0.key == key }) { return .revoked }
        if forHost.contains(where: { !$0.revoked && $0.key == key }) { return .trusted }
        return forHost.contains(where: { !$0.revoked }) ? .changed : .unknownHost
    }
}
