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

    /// The complete lines of `chunk`, each after `prefix`, in one buffer:
    /// what ``feed(_:_:)`` hands on line by line, without a call per line
    /// (the combined log's path for output that is mostly short lines).
    ///
    /// ```swift
    /// var lines = LineSplitter()
    /// lines.stamp(Array("a\nb".utf8), prefix: Array("T ".utf8))   // "T a\n"
    /// lines.stamp(Array("c\n".utf8), prefix: Array("U ".utf8))    // "U bc\n"
    /// ```
    mutating func stamp(_ chunk: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer) -> [UInt8] {
        let capacity = stampCapacity(chunk, prefixBytes: prefix.count)
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
            guard let target = UnsafeMutableRawPointer(out.baseAddress) else { return }
            initialized = stamp(chunk, prefix: prefix, into: target)
        }
    }

    /// The most bytes ``stamp(_:prefix:into:)`` writes for `chunk` after
    /// what this splitter holds, with a prefix of `prefixBytes`.
    func stampCapacity(_ chunk: UnsafeRawBufferPointer, prefixBytes: Int) -> Int {
        // Every line (and every forced cut of a long one) gets a prefix and at most one added `\n`.
        let pieces = Self.countNewlines(chunk) + (partial.count + chunk.count) / maximumLine + 1
        return partial.count + chunk.count + pieces * (prefixBytes + 1)
    }

    /// Writes what ``stamp(_:prefix:)`` returns to `target`, which has room
    /// for ``stampCapacity(_:prefixBytes:)`` bytes; returns how many it wrote.
    mutating func stamp(
        _ chunk: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer, into target: UnsafeMutableRawPointer
    ) -> Int {
        guard let base = chunk.baseAddress else { return 0 }
        var used = 0
        func put(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            (target + used).copyMemory(from: source, byteCount: bytes.count)
            used += bytes.count
        }
        var start = 0
        while start < chunk.count, let found = memchr(base + start, 0x0a, chunk.count - start) {
            let index = base.distance(to: UnsafeRawPointer(found))
            put(prefix)
            if !partial.isEmpty {
                partial.withUnsafeBytes { put($0) }
                partial.removeAll(keepingCapacity: true)
            }
            put(UnsafeRawBufferPointer(rebasing: chunk[start...index]))
            start = index + 1
        }
        partial.append(contentsOf: chunk[start...])
        while partial.count >= maximumLine {
            put(prefix)
            partial.withUnsafeBytes { put(UnsafeRawBufferPointer(rebasing: $0[0..<maximumLine])) }
            target.storeBytes(of: 0x0a, toByteOffset: used, as: UInt8.self)
            used += 1
            partial.removeFirst(maximumLine)
        }
        return used
    }

    /// The number of `\n` in `bytes`, eight bytes at a time: a byte of
    /// `word ^ 0x0a…0a` is zero exactly where `\n` was, and
    /// `~(((x & 0x7f…) + 0x7f…) | x | 0x7f…)` has its top bit set exactly
    /// in the zero bytes of `x`. Those bits are summed per byte lane (at
    /// most 255 words at a time, so no lane overflows), then across lanes.
    static func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let low: UInt64 = 0x7f7f_7f7f_7f7f_7f7f
        let words = bytes.count / 8
        var count = 0
        var word = 0
        while word < words {
            let end = min(words, word + 255)
            var lanes: UInt64 = 0
            while word < end {
                let x = base.loadUnaligned(fromByteOffset: word &* 8, as: UInt64.self) ^ 0x0a0a_0a0a_0a0a_0a0a
                lanes &+= (~(((x & low) &+ low) | x | low)) >> 7
                word &+= 1
            }
            let pairs = (lanes & 0x00ff_00ff_00ff_00ff) &+ ((lanes >> 8) & 0x00ff_00ff_00ff_00ff)
            count &+= Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        for index in (words * 8)..<bytes.count where base.load(fromByteOffset: index, as: UInt8.self) == 0x0a {
            count += 1
        }
        return count
    }

    /// Convenience for tests.
    mutating func stamp(_ bytes: [UInt8], prefix: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { chunk in prefix.withUnsafeBytes { stamp(chunk, prefix: $0) } }
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
