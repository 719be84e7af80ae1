/// Replaces secret values, in every form they may take in output (see
/// ``SecretForms``), by a fixed mask: for whole texts such as `result.json`
/// fields and error messages, and through ``makeStream()`` for live output.
///
/// ```swift
/// let masker = SecretMasker(values: [Array("hunter2-token".utf8)])
/// masker.mask("login with hunter2-token")   // "login with ***"
/// masker.mask("aHVudGVyMi10b2tlbg==")       // "***=="
/// ```
///
/// Values shorter than ``SecretForms/minimumDerivedLength`` bytes are
/// masked too, and listed in ``warnings``: they will mask ordinary text.
package struct SecretMasker: Sendable {
    /// What replaces each secret.
    package static let mask = "***"

    /// Sentences about values that will mask ordinary text, or were ignored.
    package let warnings: [String]
    /// The number of secret values registered.
    package let valueCount: Int

    private let automaton: MaskAutomaton

    /// A masker that masks nothing.
    package static let none = SecretMasker(values: [])

    /// Registers `values` (each a secret's bytes) and all their forms.
    /// `names` label the warnings, when given in the same order.
    package init(values: [[UInt8]], names: [String] = []) {
        var patterns: [[UInt8]] = []
        var warnings: [String] = []
        var count = 0
        for (index, value) in values.enumerated() {
            let label = index < names.count ? "Secret `\(names[index])`" : "A secret value"
            guard !value.isEmpty else {
                warnings.append("\(label) is empty and masks nothing.")
                continue
            }
            count += 1
            if value.count < SecretForms.minimumDerivedLength {
                warnings.append(
                    "\(label) is only \(value.count) bytes long: it is masked, and so is every ordinary text that contains those bytes."
                )
            }
            patterns += SecretForms.of(value)
        }
        self.automaton = MaskAutomaton(patterns: patterns)
        self.warnings = warnings
        self.valueCount = count
    }

    /// Whether there is anything to mask.
    package var isEmpty: Bool { automaton.patternCount == 0 }

    /// A streaming masker for one output stream.
    package func makeStream() -> MaskingStream {
        MaskingStream(automaton: automaton, mask: Array(Self.mask.utf8))
    }

    /// A scanner that says whether a stream holds any secret form.
    package func makeScanner() -> SecretScanner {
        SecretScanner(automaton: automaton)
    }

    /// `bytes` with every secret form masked.
    package func mask(_ bytes: [UInt8]) -> [UInt8] {
        if isEmpty { return bytes }
        var stream = makeStream()
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        stream.feed(bytes, into: &out)
        stream.finish(into: &out)
        return out
    }

    /// `text` with every secret form masked.
    package func mask(_ text: String) -> String {
        if isEmpty { return text }
        return String(decoding: mask(Array(text.utf8)), as: UTF8.self)
    }

    /// Whether `bytes` contain any secret form.
    package func containsSecret(in bytes: UnsafeRawBufferPointer) -> Bool {
        if isEmpty { return false }
        var state = MaskAutomaton.start
        return automaton.advance(bytes, from: 0, state: &state) < bytes.count
    }
}
