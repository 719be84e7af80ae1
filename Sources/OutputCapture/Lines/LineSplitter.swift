#if canImport(Glibc)
import Glibc
#endif

/// Cuts one stream's chunks into lines for the timestamped views (the
/// combined log, the `timestamped` and `json` live formats). A line longer
/// than ``maximumLine`` is handed on in parts, so memory stays bounded.
///
/// ```swift
/// var lines = LineSplitter()
/// lines.feed(Array("a\nb".utf8)) { print($0) }   // "a\n"
/// lines.feed(Array("c\n".utf8)) { print($0) }    // "bc\n"
/// ```
struct LineSplitter {
    /// Longest line kept whole.
    let maximumLine: Int
    private var partial: [UInt8] = []

    init(maximumLine: Int = 64 * 1024) {
        self.maximumLine = maximumLine
    }

    /// Hands every complete line of `chunk` (with its `\n`) to `line`.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ line: (UnsafeRawBufferPointer) -> Void) {
        guard let base = chunk.baseAddress else { return }
        var start = 0
        while start < chunk.count, let found = memchr(base + start, 0x0a, chunk.count - start) {
            let index = base.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(rebasing: chunk[start...index])
            if partial.isEmpty {
                line(piece)
            } else {
                partial.append(contentsOf: piece)
                partial.withUnsafeBytes { line($0) }
                partial.removeAll(keepingCapacity: true)
            }
            start = index + 1
        }
        partial.append(contentsOf: chunk[start...])
        while partial.count >= maximumLine {
            let head = Array(partial[0..<maximumLine]) + [0x0a]
            head.withUnsafeBytes { line($0) }
            partial.removeFirst(maximumLine)
        }
    }

    /// Convenience for tests.
    mutating func feed(_ bytes: [UInt8], _ line: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { feed($0, line) }
    }

    /// Hands on an unfinished last line (with a `\n` added).
    mutating func flush(_ line: (UnsafeRawBufferPointer) -> Void) {
        guard !partial.isEmpty else { return }
        partial.append(0x0a)
        partial.withUnsafeBytes { line($0) }
        partial.removeAll()
    }
}
