/// Standard base64 (RFC 4648 §4) and its URL-safe alphabet (§5), without
/// padding: enough to derive the encoded forms of a secret.
///
/// ```swift
/// Base64.encode(Array("hello".utf8))            // "aGVsbG8"
/// Base64.encode([0xfb, 0xff], urlSafe: true)    // "-_8"
/// ```
enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The encoding of `bytes` without `=` padding.
    static func encode(_ bytes: [UInt8], urlSafe: Bool = false) -> [UInt8] {
        let alphabet = urlSafe ? Self.urlSafe : Self.standard
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((word >> UInt32(shift)) & 0x3f)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let word = UInt32(bytes[index]) << 16
            for shift in [18, 12] { out.append(alphabet[Int((word >> UInt32(shift)) & 0x3f)]) }
        } else if rest == 2 {
            let word = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            for shift in [18, 12, 6] { out.append(alphabet[Int((word >> UInt32(shift)) & 0x3f)]) }
        }
        return out
    }

    /// The characters of the encoding of `bytes` that do not depend on what
    /// comes before or after them, when `bytes` start `offset` (0, 1 or 2)
    /// bytes into a 3-byte group of a longer encoded text.
    ///
    /// A secret embedded in a base64 blob lands on one of three alignments;
    /// the characters that mix its bits with its neighbours' are dropped.
    static func alignedCore(_ bytes: [UInt8], offset: Int, urlSafe: Bool = false) -> [UInt8] {
        let padded = [UInt8](repeating: 0, count: offset) + bytes
        let encoded = encode(padded, urlSafe: urlSafe)
        // Leading characters holding bits of the padding bytes.
        let drop = [0, 2, 3][offset]
        // Trailing characters holding bits of whatever follows.
        let full = padded.count / 3 * 4
        let keepEnd = full + [0, 1, 2][padded.count % 3]
        guard keepEnd > drop else { return [] }
        return Array(encoded[drop..<min(keepEnd, encoded.count)])
    }
}
