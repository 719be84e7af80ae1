import CGit2

/// A SHA-1 object id.
struct ObjectID: Equatable, Sendable, CustomStringConvertible {
    /// The raw id.
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    /// Parses exactly 40 hexadecimal digits; nil otherwise.
    init?(hex: String) {
        guard Self.isFullHex(hex) else { return nil }
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        raw = oid
    }

    /// The 40 lowercase hex digits.
    var hex: String {
        var oid = raw
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, &oid)
        return String(decoding: buffer.prefix(Int(GIT_OID_HEXSZ)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var description: String { hex }

    static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
        var left = lhs.raw
        var right = rhs.raw
        return git_oid_equal(&left, &right) != 0
    }

    /// Whether `text` is exactly 40 hexadecimal digits (either case).
    static func isFullHex(_ text: String) -> Bool {
        text.utf8.count == Int(GIT_OID_HEXSZ) && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }
}
