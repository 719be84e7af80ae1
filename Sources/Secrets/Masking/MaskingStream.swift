/// Masks one byte stream chunk by chunk: every match of the automaton's
/// patterns is replaced by ``SecretMasker/mask``; overlapping and adjacent
/// matches become one mask, so a mask never reveals a length.
///
/// Only bytes that may still begin a match are held back at the end of a
/// chunk (at most the longest pattern less one byte, plus a match still
/// growing), so ordinary output passes through at once and a secret split
/// across any number of writes is still masked. Memory is bounded: a run
/// of back-to-back matches longer than ``maximumHold`` is masked in parts,
/// never revealed.
///
/// ```swift
/// var stream = masker.makeStream()
/// var out: [UInt8] = []
/// stream.feed(Array("token: hun".utf8), into: &out)   // out == "token: "
/// stream.feed(Array("ter2\n".utf8), into: &out)       // out == "token: ***\n"
/// stream.finish(into: &out)
/// ```
package struct MaskingStream {
    /// Bytes held for longer than this are forced out (as a mask).
    package let maximumHold: Int

    private let automaton: MaskAutomaton
    private let mask: [UInt8]
    private var state = MaskAutomaton.start
    /// Bytes read but not yet emitted; `pending[0]` is at offset `base` of the stream.
    private var pending: [UInt8] = []
    private var base = 0
    /// Merged match ranges not yet emitted, sorted, disjoint and not adjacent.
    /// An `announced` range's mask is already out (it was forced out while it grew).
    private var ranges: [(start: Int, end: Int, announced: Bool)] = []

    init(automaton: MaskAutomaton, mask: [UInt8]) {
        self.automaton = automaton
        self.mask = mask
        self.maximumHold = max(64 * 1024, 2 * automaton.longestPattern)
    }

    /// The number of bytes read and not yet emitted.
    package var heldBytes: Int { pending.count }

    /// Reads `chunk` and appends to `out` what can be emitted now.
    package mutating func feed(_ chunk: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let direct = feed(passingThrough: chunk, into: &out)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<direct]))
    }

    /// Reads `chunk` without copying it in the common case: returns how
    /// many of its first bytes are to be emitted as they are, before what
    /// is appended to `out` (when it returns more than 0, nothing is
    /// appended: no match, and nothing was held before `chunk`).
    ///
    /// ```swift
    /// let direct = stream.feed(passingThrough: chunk, into: &out)
    /// emit(chunk[0..<direct]); emit(out)
    /// ```
    package mutating func feed(passingThrough chunk: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Int {
        guard !chunk.isEmpty else { return 0 }
        if automaton.patternCount == 0 { return chunk.count }
        let first = base + pending.count
        var matches: [(start: Int, end: Int)] = []
        state = automaton.scan(chunk, from: state) { index, length in
            matches.append((first + index + 1 - length, first + index + 1))
        }
        if matches.isEmpty && ranges.isEmpty && pending.isEmpty {
            // The common case: no secret anywhere near; only a possible start waits.
            let keep = min(automaton.pendingLength(state), chunk.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[(chunk.count - keep)...]))
            base = first + chunk.count - keep
            return chunk.count - keep
        }
        for match in matches { add(match.start, match.end) }
        pending.append(contentsOf: chunk)

        let total = base + pending.count
        let hold = total - automaton.pendingLength(state)
        var cut = hold
        if let crossing = ranges.first(where: { $0.end >= hold }) { cut = min(cut, crossing.start) }
        // A cut before `base` is a run already forced out and still growing:
        // emitting up to `base` would close it, and its next match would
        // start a second mask.
        if cut > base { emit(upTo: cut, into: &out) }

        if pending.count > maximumHold, let index = ranges.firstIndex(where: { $0.end >= hold }) {
            // A run of matches still growing: mask it now, keep swallowing it.
            let range = ranges[index]
            if range.start > base { out.append(contentsOf: pending[0..<(range.start - base)]) }
            if !range.announced { out.append(contentsOf: mask) }
            ranges[index].announced = true
            ranges.removeSubrange(0..<index)
            drop(upTo: range.end)
        }
        return 0
    }

    /// Reads `bytes` and appends to `out` what can be emitted now.
    package mutating func feed(_ bytes: [UInt8], into out: inout [UInt8]) {
        bytes.withUnsafeBytes { feed($0, into: &out) }
    }

    /// Emits everything held (the end of the stream: a partial match is
    /// ordinary text) and starts afresh.
    package mutating func finish(into out: inout [UInt8]) {
        emit(upTo: base + pending.count, into: &out)
        ranges = []
        state = MaskAutomaton.start
    }

    /// Merges a match into the ranges.
    private mutating func add(_ start: Int, _ end: Int) {
        var start = start
        var end = end
        var announced = false
        while let last = ranges.last, last.end >= start {
            start = min(start, last.start)
            end = max(end, last.end)
            announced = announced || last.announced
            ranges.removeLast()
        }
        ranges.append((start, end, announced))
    }

    /// Emits the bytes before `cut`, each range before it as one mask.
    private mutating func emit(upTo cut: Int, into out: inout [UInt8]) {
        var position = base
        var consumed = 0
        for range in ranges {
            guard range.end <= cut else { break }
            if range.start > position { out.append(contentsOf: pending[(position - base)..<(range.start - base)]) }
            if !range.announced { out.append(contentsOf: mask) }
            position = max(position, range.end)
            consumed += 1
        }
        ranges.removeFirst(consumed)
        if cut > position { out.append(contentsOf: pending[(position - base)..<(cut - base)]) }
        drop(upTo: max(position, cut))
    }

    /// Forgets pending bytes before stream offset `offset`.
    private mutating func drop(upTo offset: Int) {
        let count = min(max(offset - base, 0), pending.count)
        pending.removeFirst(count)
        base += count
    }
}
