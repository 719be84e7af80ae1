/// Reads structured values from a fuzzer's input bytes, front to back,
/// like LLVM's `FuzzedDataProvider`: every read succeeds (an exhausted
/// input yields zeros and empty arrays), so any byte string is a valid input.
///
/// ```swift
/// var reader = FuzzReader(bytes)
/// let count = reader.int(in: 0...3)
/// let secret = reader.bytes(count: reader.int(in: 0...24))
/// let text = reader.remaining()
/// ```
struct FuzzReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Whether every byte has been read.
    var isAtEnd: Bool { offset >= bytes.count }

    /// How many bytes are left.
    var remainingCount: Int { max(bytes.count - offset, 0) }

    /// The next byte, or 0 at the end.
    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A number in `range` made from the next byte or two.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = range.upperBound - range.lowerBound
        if width == 0 { return range.lowerBound }
        var value = Int(byte())
        if width > 255 { value = value << 8 | Int(byte()) }
        return range.lowerBound + value % (width + 1)
    }

    /// Whether the next byte is odd.
    mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Up to `count` next bytes.
    mutating func bytes(count: Int) -> [UInt8] {
        let end = min(offset + max(count, 0), bytes.count)
        defer { offset = max(offset, end) }
        return offset < end ? Array(bytes[offset..<end]) : []
    }

    /// The bytes up to the next `separator` (not included, and skipped), or to the end.
    mutating func field(separator: UInt8 = 0) -> [UInt8] {
        guard offset < bytes.count else { return [] }
        let end = bytes[offset...].firstIndex(of: separator) ?? bytes.count
        defer { offset = end + 1 }
        return Array(bytes[offset..<end])
    }

    /// Every byte not read yet.
    mutating func remaining() -> [UInt8] {
        defer { offset = bytes.count }
        return offset < bytes.count ? Array(bytes[offset...]) : []
    }

    /// One element of `choices`, chosen by the next byte.
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }
}
