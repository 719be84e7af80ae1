import Testing

@testable import Secrets

/// Inputs the masker fuzz harness found (Fuzz/Corpus/masker); each failed before its fix.
@Suite struct MaskingStreamFuzzFindingTests {
    /// A run of back-to-back matches past the 64 KiB hold, fed in writes of
    /// 51 and 1 bytes, came out as two masks where the whole text masks as one.
    @Test func aRunForcedOutStaysOneMask() {
        let masker = SecretMasker(values: [Array("abcdef".utf8)])
        let text = Array([[UInt8]](repeating: Array("abcdef".utf8), count: 11_948).joined())
        #expect(masker.mask(text) == Array("***".utf8))
        var stream = masker.makeStream()
        var out: [UInt8] = []
        var offset = 0
        var step = 0
        while offset < text.count {
            let end = min(offset + (step % 2 == 0 ? 51 : 1), text.count)
            stream.feed(Array(text[offset..<end]), into: &out)
            offset = end
            step += 1
        }
        stream.finish(into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "***")
    }
}
