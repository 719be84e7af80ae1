/// Tells whether a stream of bytes (an artifact read block by block)
/// contains any form of a secret, also across block boundaries.
///
/// ```swift
/// var scanner = masker.makeScanner()
/// scanner.scan(block1)
/// scanner.scan(block2)
/// scanner.found   // true if a secret spans or sits in the blocks
/// ```
package struct SecretScanner {
    private let automaton: MaskAutomaton
    private var state = MaskAutomaton.start
    /// Whether a secret form was seen.
    package private(set) var found = false

    init(automaton: MaskAutomaton) {
        self.automaton = automaton
    }

    /// Reads `bytes`.
    package mutating func scan(_ bytes: UnsafeRawBufferPointer) {
        guard !found, automaton.patternCount > 0 else { return }
        found = automaton.advance(bytes, from: 0, state: &state) < bytes.count
    }
}
