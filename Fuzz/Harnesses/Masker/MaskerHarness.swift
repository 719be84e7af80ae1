@testable import Secrets

/// Fuzzes the secret masker: the forms of a value, the Aho–Corasick
/// automaton with its Wu–Manber skip, the streaming masker at every chunk
/// boundary, and the scanner.
///
/// Input: a flags byte (secret count, API; 0xff repeats the text past the
/// stream's 64 KiB hold), each secret (a length byte and
/// its bytes), a chunk plan (a count and sizes), then the text.
/// Properties:
/// - `SecretForms.of` gives exactly ``ReferenceForms`` (the value first);
/// - the masker, whole or streamed in the planned chunks through either
///   feeding API, equals ``ReferenceMasker`` over the whole text;
/// - its output holds no form of any secret (when no form holds the mask's `*`);
/// - `containsSecret` and a `SecretScanner` fed the same chunks say
///   whether the reference found anything.
enum Harness {
    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        let flags = reader.byte()
        let secrets = (0..<(1 + Int(flags % 3))).map { _ in reader.bytes(count: reader.int(in: 0...24)) }
        let plan = (0..<reader.int(in: 0...7)).map { _ in reader.int(in: 1...64) }
        var text = reader.remaining()
        if flags == 0xff, !text.isEmpty {
            let copies = 70 * 1024 / text.count + 1
            text = Array([[UInt8]](repeating: text, count: copies).joined())
        }

        var patterns: [[UInt8]] = []
        for secret in secrets {
            let forms = SecretForms.of(secret)
            Property.expect(
                Set(forms) == ReferenceForms.of(secret) && forms.count == Set(forms).count,
                "the forms of \(shown(secret))",
                expected: ReferenceForms.of(secret).map(shown).sorted(), found: forms.map(shown))
            Property.expect(secret.isEmpty || forms.first == secret, "the value is its first form")
            patterns += forms
        }
        let ranges = ReferenceMasker.ranges(text, patterns: patterns)
        let mask = Array(SecretMasker.mask.utf8)
        let expected = ReferenceMasker.mask(text, ranges: ranges, mask: mask)
        let masker = Self.masker(for: secrets)

        let streamed = stream(masker, text, plan: plan, passingThrough: flags & 8 == 8)
        Property.expect(
            streamed == expected, "masking in chunks \(plan)", expected: shown(expected), found: shown(streamed))
        // A long run checks the stream only: the rest costs as much again and finds nothing new there.
        if flags == 0xff { return }
        let whole = masker.mask(text)
        Property.expect(whole == expected, "masking the whole text", expected: shown(expected), found: shown(whole))
        if !patterns.contains(where: { $0.contains(UInt8(ascii: "*")) }) {
            Property.expect(
                ReferenceMasker.ranges(streamed, patterns: patterns).isEmpty, "the output holds no secret form",
                found: shown(streamed))
        }
        let contains = text.withUnsafeBytes { masker.containsSecret(in: $0) }
        Property.expect(contains == !ranges.isEmpty, "containsSecret", expected: !ranges.isEmpty, found: contains)
        var scanner = masker.makeScanner()
        forEachChunk(text, plan: plan) { chunk in scanner.scan(chunk) }
        Property.expect(
            scanner.found == !ranges.isEmpty, "the scanner", expected: !ranges.isEmpty, found: scanner.found)
    }

    /// Maskers already built, by their secrets: a masker is immutable, and
    /// building its automaton costs more than most inputs' checks, while the
    /// fuzzer mostly mutates the text and the plan. At most 64 are kept: each
    /// holds its tables (a few hundred KiB), and libFuzzer stops a harness at 2 GiB.
    nonisolated(unsafe) static var maskers: [[[UInt8]]: SecretMasker] = [:]

    static func masker(for secrets: [[UInt8]]) -> SecretMasker {
        if let known = maskers[secrets] { return known }
        if maskers.count >= 64 { maskers.removeAll(keepingCapacity: true) }
        let masker = SecretMasker(values: secrets)
        maskers[secrets] = masker
        return masker
    }

    /// `text` cut into the plan's sizes, over and over.
    static func forEachChunk(_ text: [UInt8], plan: [Int], _ body: (UnsafeRawBufferPointer) -> Void) {
        text.withUnsafeBytes { bytes in
            var offset = 0
            var step = 0
            while offset < bytes.count {
                let size = plan.isEmpty ? bytes.count : min(plan[step % plan.count], bytes.count - offset)
                body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)]))
                offset += size
                step += 1
            }
        }
    }

    static func stream(_ masker: SecretMasker, _ text: [UInt8], plan: [Int], passingThrough: Bool) -> [UInt8] {
        var stream = masker.makeStream()
        var out: [UInt8] = []
        forEachChunk(text, plan: plan) { chunk in
            if passingThrough {
                var appended: [UInt8] = []
                let direct = stream.feed(passingThrough: chunk, into: &appended)
                Property.expect(direct == 0 || appended.isEmpty, "nothing is appended when bytes pass through")
                out += chunk[0..<direct]
                out += appended
            } else {
                stream.feed(chunk, into: &out)
            }
        }
        stream.finish(into: &out)
        Property.expect(stream.heldBytes == 0, "nothing is held after finish", found: stream.heldBytes)
        return out
    }
}
