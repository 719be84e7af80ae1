import AgentSystem
import CGit2

/// A SHA-1 object id.
struct ObjectID: Equatable, Sendable, CustomStringConvertible {
    /// The raw id.
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    /// Parses exactly 40 hexadecimal digits; nil otherwise.
    ///
    /// The hex conversions and the comparison are done here rather than by
    /// libgit2 (`git_oid_fromstr`): a warm pinned job names its commit but
    /// never opens libgit2.
    init?(hex: String) {
        guard Self.isFullHex(hex) else { return nil }
        var oid = git_oid()
        let digits = Array(hex.utf8)
        withUnsafeMutableBytes(of: &oid.id) { bytes in
            for index in bytes.indices {
                bytes[index] = Self.nibble(digits[2 * index]) << 4 | Self.nibble(digits[2 * index + 1])
            }
        }
        raw = oid
    }

    /// The 40 lowercase hex digits.
    var hex: String {
        withUnsafeBytes(of: raw.id) { Digest.hex($0) }
    }

    var description: String { hex }

    static func == (lhs: ObjectID, rhs: ObjectID) -> Bool {
        withUnsafeBytes(of: lhs.raw.id) { left in withUnsafeBytes(of: rhs.raw.id) { right in left.elementsEqual(right) }
        }
    }

    /// The value of one hex digit already checked by ``isFullHex(_:)``.
    private static func nibble(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: digit - UInt8(ascii: "A") + 10
        }
    }

    /// Whether `text` is exactly 40 hexadecimal digits (either case).
    static func isFullHex(_ text: String) -> Bool {
        text.utf8.count == Int(GIT_OID_HEXSZ)
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            }
    }
}
