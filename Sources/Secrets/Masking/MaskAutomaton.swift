/// An Aho–Corasick automaton over a set of byte patterns, compiled to a
/// dense transition table over byte classes (bytes that occur in no
/// pattern share one class), so scanning costs one table lookup per byte.
///
/// For each state it knows the length of the longest pattern ending there
/// (the union of all matches ending at one position is that one range) and
/// its depth: the length of the longest suffix of the text read so far that
/// is a prefix of some pattern, which is what a stream must hold back.
///
/// ```swift
/// let automaton = MaskAutomaton(patterns: [Array("secret".utf8)])
/// var state = MaskAutomaton.start
/// for byte in "a secret".utf8 { state = automaton.next(state, byte) }
/// automaton.longestMatch(state)   // 6
/// ```
package final class MaskAutomaton: Sendable {
    /// The state before any byte is read.
    package static let start: Int32 = 0

    /// The longest pattern.
    package let longestPattern: Int
    /// How many patterns were compiled (after removing duplicates and empties).
    package let patternCount: Int

    let classCount: Int
    let byteClass: [UInt8]
    let table: [Int32]
    let matchLength: [Int32]
    let depth: [Int32]
    /// The window of the skipping search: the shortest pattern's length
    /// (at most 255); below 2 there is no skipping.
    let window: Int
    /// For each byte pair ending a window (see ``pairIndex(_:_:)``), how
    /// far the window may move without passing the start of a pattern (0: a
    /// pattern may begin where the window begins). Wu–Manber's shift table
    /// over the first ``window`` bytes of every pattern.
    let skip: [UInt8]

    /// The slot of the pair `first, second` in ``skip``: their low seven
    /// bits, so the table (16 KiB) stays in the first-level cache. Pairs
    /// that share a slot share the smallest shift, which is safe.
    @inline(__always)
    static func pairIndex(_ first: UInt8, _ second: UInt8) -> Int {
        Int(first & 0x7f) | Int(second & 0x7f) << 7
    }

    /// Compiles `patterns`; empty patterns are ignored.
    package init(patterns: [[UInt8]]) {
        let unique = Array(Set(patterns.filter { !$0.isEmpty })).sorted { $0.lexicographicallyPrecedes($1) }
        patternCount = unique.count
        longestPattern = unique.map(\.count).max() ?? 0

        var used = [Bool](repeating: false, count: 256)
        for pattern in unique { for byte in pattern { used[Int(byte)] = true } }
        var classes = [UInt8](repeating: 0, count: 256)
        var count = 1
        if used.allSatisfy({ $0 }) {
            // Every byte occurs in some pattern: one class per byte.
            for byte in 0..<256 { classes[byte] = UInt8(byte) }
            count = 256
        } else {
            // Class 0 for the bytes no pattern uses; 1… for the others.
            for byte in 0..<256 where used[byte] {
                classes[byte] = UInt8(count)
                count += 1
            }
        }
        classCount = count
        byteClass = classes

        var table = [Int32](repeating: -1, count: count)
        var matchLength: [Int32] = [0]
        var depth: [Int32] = [0]
        for pattern in unique {
            var state = 0
            for byte in pattern {
                let slot = state * count + Int(classes[Int(byte)])
                if table[slot] < 0 {
                    table[slot] = Int32(depth.count)
                    table += [Int32](repeating: -1, count: count)
                    matchLength.append(0)
                    depth.append(depth[state] + 1)
                }
                state = Int(table[slot])
            }
            matchLength[state] = max(matchLength[state], Int32(pattern.count))
        }

        // Breadth-first: failure links, then complete transitions.
        var failure = [Int32](repeating: 0, count: depth.count)
        var queue: [Int] = []
        queue.reserveCapacity(depth.count)
        for symbol in 0..<count {
            let next = table[symbol]
            if next < 0 { table[symbol] = 0 } else { queue.append(Int(next)) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fail = Int(failure[state])
            matchLength[state] = max(matchLength[state], matchLength[fail])
            for symbol in 0..<count {
                let slot = state * count + symbol
                let fallback = table[fail * count + symbol]
                if table[slot] < 0 {
                    table[slot] = fallback
                } else {
                    failure[Int(table[slot])] = fallback
                    queue.append(Int(table[slot]))
                }
            }
        }
        self.table = table
        self.matchLength = matchLength
        self.depth = depth
        let window = min(unique.map(\.count).min() ?? 0, 255)
        var skip: [UInt8] = []
        if window >= 2 {
            skip = [UInt8](repeating: UInt8(window - 1), count: 1 << 14)
            for pattern in unique {
                for offset in 0...(window - 2) {
                    let pair = Self.pairIndex(pattern[offset], pattern[offset + 1])
                    skip[pair] = min(skip[pair], UInt8(window - 2 - offset))
                }
            }
        }
        self.window = window
        self.skip = skip
    }

    /// Reads `bytes` from `state`; calls `match(index, length)` for each
    /// byte at which a pattern ends (the longest one). Returns the new state.
    @inline(__always)
    package func scan(
        _ bytes: UnsafeRawBufferPointer, from state: Int32, match: (_ index: Int, _ length: Int) -> Void
    ) -> Int32 {
        var state = state
        var index = 0
        while index < bytes.count {
            let found = advance(bytes, from: index, state: &state)
            guard found < bytes.count else { break }
            match(found, longestMatch(state))
            index = found + 1
        }
        return state
    }

    /// Reads `bytes` from `index` on, starting in `state`, up to and
    /// including the first byte at which a pattern ends; returns that byte's
    /// index (`state` is then a matching state) or `bytes.count`.
    ///
    /// In the start state the text is searched Wu–Manber style rather than
    /// walked byte by byte: a window of ``window`` bytes moves by ``skip``
    /// of its last two bytes while no pattern can begin in what it passes,
    /// so ordinary text costs about one lookup per `window - 1` bytes. A
    /// match cannot begin in the bytes skipped, so the automaton, restarted
    /// in the start state where the window stops, finds every match the
    /// byte-by-byte walk finds.
    @inline(__always)
    package func advance(_ bytes: UnsafeRawBufferPointer, from index: Int, state: inout Int32) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), index < bytes.count else {
            return bytes.count
        }
        let count = bytes.count
        let classes = classCount
        let window = window
        return table.withUnsafeBufferPointer { table in
            byteClass.withUnsafeBufferPointer { byteClass in
                matchLength.withUnsafeBufferPointer { matchLength in
                    skip.withUnsafeBufferPointer { skip in
                        var current = Int(state)
                        var index = index
                        defer { state = Int32(truncatingIfNeeded: current) }
                        while index < count {
                            if current == 0 && window >= 2 {
                                while index &+ window <= count {
                                    let last = index &+ window &- 2
                                    let shift = Int(skip[Self.pairIndex(base[last], base[last &+ 1])])
                                    if shift == 0 { break }
                                    index &+= shift
                                }
                                if index >= count { break }
                            }
                            current = Int(table[current &* classes &+ Int(byteClass[Int(base[index])])])
                            if matchLength[current] > 0 { return index }
                            index &+= 1
                        }
                        return count
                    }
                }
            }
        }
    }

    /// The state after reading `byte` in `state`.
    @inline(__always)
    package func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        table[Int(state) * classCount + Int(byteClass[Int(byte)])]
    }

    /// The length of the longest pattern ending at the byte just read (0 for none).
    @inline(__always)
    package func longestMatch(_ state: Int32) -> Int {
        Int(matchLength[Int(state)])
    }

    /// How many of the last bytes read may still begin a match.
    @inline(__always)
    package func pendingLength(_ state: Int32) -> Int {
        Int(depth[Int(state)])
    }
}
