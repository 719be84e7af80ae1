/// A commit's and a tag's signature split as git does it, written from the
/// documentation of `SignedPayload` over header records.
enum ReferenceSignedObjects {
    /// A commit: the headers (up to the first empty line) as records of a
    /// line and its continuation lines (` …`); `gpgsig ` records are the
    /// signature (each continuation without its space), other `gpgsig…`
    /// records are dropped, every other byte is the payload.
    static func commit(_ raw: [UInt8]) -> (payload: [UInt8], signature: [UInt8])? {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        while start < raw.count {
            let end = raw[start...].firstIndex(of: 0x0a).map { $0 + 1 } ?? raw.count
            lines.append(raw[start..<end])
            start = end
        }
        var payload: [UInt8] = []
        var signature: [UInt8] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.first == 0x0a {
                payload += lines[index...].joined()
                break
            }
            var record = [line]
            index += 1
            while index < lines.count, lines[index].first == 0x20 {
                record.append(lines[index])
                index += 1
            }
            if line.starts(with: Array("gpgsig ".utf8)) {
                signature += line.dropFirst(7)
                for continuation in record.dropFirst() { signature += continuation.dropFirst() }
            } else if line.starts(with: Array("gpgsig".utf8)) {
                continue
            } else {
                payload += record.joined()
            }
        }
        return signature.isEmpty ? nil : (payload, signature)
    }

    /// A tag: the signature is everything from the last line starting with
    /// an armor line (SSH, PGP signature or message, x509).
    static func tag(_ raw: [UInt8]) -> (payload: [UInt8], signature: [UInt8])? {
        let markers = [
            "-----BEGIN SSH SIGNATURE-----", "-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----",
            "-----BEGIN SIGNED MESSAGE-----",
        ]
        let starts = [0] + raw.indices.filter { raw[$0] == 0x0a }.map { $0 + 1 }
        guard
            let last = starts.last(where: { start in markers.contains { raw[start...].starts(with: Array($0.utf8)) } })
        else { return nil }
        return (Array(raw[..<last]), Array(raw[last...]))
    }

    /// The `tag ` header before the first empty line.
    static func tagName(_ raw: [UInt8]) -> [UInt8]? {
        for line in raw.split(separator: 0x0a, omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }
            if line.starts(with: Array("tag ".utf8)) { return Array(line.dropFirst(4)) }
        }
        return nil
    }
}
