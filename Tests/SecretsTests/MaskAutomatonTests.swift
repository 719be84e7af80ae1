import Testing

@testable import Secrets

/// The automaton's skipping search against the plainest possible oracle:
/// at every byte, the longest pattern that ends there.
@Suite struct MaskAutomatonTests {
    /// Every (index, length) of the longest pattern ending at each byte of `text`.
    static func naiveMatches(_ text: [UInt8], _ patterns: [[UInt8]]) -> [Int: Int] {
        var found: [Int: Int] = [:]
        for end in text.indices {
            for pattern in patterns where !pattern.isEmpty && pattern.count <= end + 1 {
                if Array(text[(end + 1 - pattern.count)...end]) == pattern {
                    found[end] = max(found[end] ?? 0, pattern.count)
                }
            }
        }
        return found
    }

    /// The matches `scan` reports when `text` comes in random pieces.
    static func scannedMatches(
        _ text: [UInt8], _ automaton: MaskAutomaton, using generator: inout some RandomNumberGenerator
    ) -> [Int: Int] {
        var found: [Int: Int] = [:]
        var state = MaskAutomaton.start
        var offset = 0
        while offset < text.count {
            let end = min(text.count, offset + Int.random(in: 1...300, using: &generator))
            let piece = Array(text[offset..<end])
            let base = offset
            state = piece.withUnsafeBytes { bytes in
                automaton.scan(bytes, from: state) { index, length in found[base + index] = length }
            }
            offset = end
        }
        return found
    }

    @Test(arguments: [1, 2, 3, 6, 20])
    func skippingFindsWhatTheByteByByteWalkFinds(shortest: Int) {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcde\n".utf8)
        for _ in 0..<60 {
            let patterns = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                (0..<Int.random(in: shortest...(shortest + 8), using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator) ?? 0x61
                }
            }
            var text = (0..<2000).map { _ in alphabet.randomElement(using: &generator) ?? 0x61 }
            // Plant whole patterns and their prefixes so that matches and near misses occur.
            for round in 0..<35 {
                let pattern = patterns.randomElement(using: &generator) ?? []
                let whole = round >= 30
                let piece =
                    whole ? pattern : Array(pattern.prefix(Int.random(in: 1...pattern.count, using: &generator)))
                let at = Int.random(in: 0...(text.count - piece.count), using: &generator)
                text.replaceSubrange(at..<(at + piece.count), with: piece)
            }
            let automaton = MaskAutomaton(patterns: patterns)
            let expected = Self.naiveMatches(text, patterns)
            #expect(Self.scannedMatches(text, automaton, using: &generator) == expected, "\(patterns)")
            #expect(!expected.isEmpty)
        }
    }

    @Test func skipTableOfOnePattern() {
        let automaton = MaskAutomaton(patterns: [Array("secret".utf8)])
        #expect(automaton.window == 6)
        let pair = { (text: String) -> Int in
            let bytes = Array(text.utf8)
            return Int(automaton.skip[MaskAutomaton.pairIndex(bytes[0], bytes[1])])
        }
        #expect(pair("se") == 4)
        #expect(pair("et") == 0)
        #expect(pair("cr") == 2)
        #expect(pair("xx") == 5)
        // Pairs that differ only in their top bits share the smallest shift.
        #expect(Int(automaton.skip[MaskAutomaton.pairIndex(0x80 | UInt8(ascii: "e"), UInt8(ascii: "t"))]) == 0)
    }
}
