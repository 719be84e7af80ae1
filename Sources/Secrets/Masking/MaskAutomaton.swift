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
public final class MaskAutomaton: Sendable {
    /// The state before any byte is read.
    public static let start: Int32 = 0

    /// The longest pattern.
    public let longestPattern: Int
    /// How many patterns were compiled (after removing duplicates and empties).
    public let patternCount: Int

    let classCount: Int
    let byteClass: [UInt8]
    let table: [Int32]
    let matchLength: [Int32]
    let depth: [Int32]

    /// Compiles `patterns`; empty patterns are ignored.
    public init(patterns: [[UInt8]]) {
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
    }

    /// The state after reading `byte` in `state`.
    @inline(__always)
    public func next(_ state: Int32, _ byte: UInt8) -> Int32 {
        table[Int(state) * classCount + Int(byteClass[Int(byte)])]
    }

    /// The length of the longest pattern ending at the byte just read (0 for none).
    @inline(__always)
    public func longestMatch(_ state: Int32) -> Int {
        Int(matchLength[Int(state)])
    }

    /// How many of the last bytes read may still begin a match.
    @inline(__always)
    public func pendingLength(_ state: Int32) -> Int {
        Int(depth[Int(state)])
    }
}
