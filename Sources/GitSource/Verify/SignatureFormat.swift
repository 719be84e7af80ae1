/// The kind of a git signature, told by its armor line.
package enum SignatureFormat: String, Sendable, Equatable {
    /// `-----BEGIN SSH SIGNATURE-----`, checked with `ssh-keygen -Y verify`.
    case ssh
    /// `-----BEGIN PGP SIGNATURE-----`, checked with `gpgv`.
    case gpg

    /// The format of a signature starting with `text`; nil for an unknown
    /// one (x509 `-----BEGIN SIGNED MESSAGE-----` among them).
    static func of<Bytes: Collection<UInt8>>(_ text: Bytes) -> SignatureFormat? {
        if text.starts(with: sshMarker) { return .ssh }
        if text.starts(with: pgpMarker) || text.starts(with: pgpMessageMarker) { return .gpg }
        return nil
    }

    static let sshMarker = Array("-----BEGIN SSH SIGNATURE-----".utf8)
    static let pgpMarker = Array("-----BEGIN PGP SIGNATURE-----".utf8)
    static let pgpMessageMarker = Array("-----BEGIN PGP MESSAGE-----".utf8)
    static let x509Marker = Array("-----BEGIN SIGNED MESSAGE-----".utf8)
}

/// An object's signature and the bytes it signs.
struct SignedPayload: Equatable {
    var payload: [UInt8]
    var signature: [UInt8]

    /// Splits a raw annotated tag object as git does (`parse_signed_buffer`):
    /// the signature is everything from the last line that starts with a
    /// signature armor line; the payload is what precedes it. nil when the
    /// tag carries no signature.
    ///
    /// ```swift
    /// SignedPayload(tag: Array("object …\n\nv1\n-----BEGIN SSH SIGNATURE-----\n…".utf8))
    /// // payload "object …\n\nv1\n", signature "-----BEGIN SSH SIGNATURE-----\n…"
    /// ```
    init?(tag raw: [UInt8]) {
        var match: Int?
        var start = 0
        while start < raw.count {
            let line = raw[start...]
            let markers = [
                SignatureFormat.sshMarker, SignatureFormat.pgpMarker, SignatureFormat.pgpMessageMarker,
                SignatureFormat.x509Marker,
            ]
            if markers.contains(where: { line.starts(with: $0) }) { match = start }
            guard let newline = line.firstIndex(of: UInt8(ascii: "\n")) else { break }
            start = newline + 1
        }
        guard let match else { return nil }
        payload = Array(raw[..<match])
        signature = Array(raw[match...])
    }

    /// Splits a raw commit object as git does (`parse_buffer_signed_by_header`
    /// for SHA-1 repositories): the signature is the `gpgsig` header with its
    /// continuation lines, among the headers only; the payload is every
    /// other byte, less any other `gpgsig…` header (`gpgsig-sha256`). nil for
    /// an unsigned commit. libgit2 1.5's `git_commit_extract_signature` also
    /// takes a `gpgsig ` line from the message, which git calls unsigned.
    ///
    /// ```swift
    /// SignedPayload(commit: Array("tree …\ngpgsig -----BEGIN SSH SIGNATURE-----\n …\n\nmsg\n".utf8))
    /// // payload "tree …\n\nmsg\n", signature "-----BEGIN SSH SIGNATURE-----\n…"
    /// ```
    init?(commit raw: [UInt8]) {
        var payload: [UInt8] = []
        var signature: [UInt8] = []
        var inSignature = false
        var otherSignature = false
        var start = 0
        let header = Array("gpgsig".utf8)
        while start < raw.count {
            let end = raw[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? raw.count
            let line = raw[start..<end]
            if line.first == UInt8(ascii: "\n") {  // The end of the headers: the rest is the message.
                payload += raw[start...]
                break
            }
            if inSignature, line.first == UInt8(ascii: " ") {
                signature += line.dropFirst()
            } else if line.starts(with: header + [UInt8(ascii: " ")]) {
                signature += line.dropFirst(header.count + 1)
                inSignature = true
                otherSignature = false
            } else {
                inSignature = false
                if line.starts(with: header) {
                    otherSignature = true
                } else if line.first != UInt8(ascii: " ") {
                    otherSignature = false
                }
                if !otherSignature { payload += line }
            }
            start = end
        }
        guard !signature.isEmpty else { return nil }
        self.payload = payload
        self.signature = signature
    }

    /// The `tag` header of a raw annotated tag object (its own name), or nil.
    static func tagName(in raw: [UInt8]) -> String? {
        for line in raw.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }  // The end of the headers.
            if line.starts(with: Array("tag ".utf8)) { return String(decoding: line.dropFirst(4), as: UTF8.self) }
        }
        return nil
    }

    init(payload: [UInt8], signature: [UInt8]) {
        self.payload = payload
        self.signature = signature
    }
}
