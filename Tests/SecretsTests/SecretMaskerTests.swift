import Foundation
import Testing

@testable import Secrets

/// Masking as a table: input → output, then the same through every way of
/// splitting the input into writes.
@Suite struct SecretMaskerTests {
    static let masker = SecretMasker(values: [
        Array("hunter2-token".utf8), Array("abcdef".utf8), Array("defghi".utf8), Array("p@ss w/rd".utf8),
        Array("line-one-secret\nline-two-secret".utf8),
    ])

    static let table: [(input: String, output: String)] = [
        ("nothing to hide\n", "nothing to hide\n"),
        ("", ""),
        ("token=hunter2-token;", "token=***;"),
        ("hunter2-tokenhunter2-token", "***"),
        ("hunter2-token hunter2-token", "*** ***"),
        ("xabcdefghiy", "x***y"),  // overlapping secrets merge into one mask
        ("abcdedefghi", "abcde***"),
        ("hunter2-toke", "hunter2-toke"),  // a prefix alone is ordinary text
        ("aHVudGVyMi10b2tlbg==", "***g=="),  // base64
        ("xaHVudGVyMi10b2tlbgo=", "x***go="),  // base64, the value followed by \n
        (Data("!hunter2-token".utf8).base64EncodedString(), "IW***4="),  // shifted by one byte
        (Data("!!hunter2-token".utf8).base64EncodedString(), "ISF***"),  // shifted by two
        ("url=p%40ss%20w%2Frd&x", "url=***&x"),
        ("{\"pw\":\"p@ss w\\/rd\"}", "{\"pw\":\"***\"}"),
        ("key:\nline-two-secret\n", "key:\n***\n"),  // one line of a multi-line secret
        ("line-one-secret\\nline-two-secret", "***"),  // JSON-escaped multi-line
    ]

    @Test func table() {
        for (input, expected) in Self.table {
            #expect(Self.masker.mask(input) == expected, "\(input)")
        }
    }

    @Test func everySplitIntoTwoWritesGivesTheSameOutput() {
        for (input, expected) in Self.table {
            let bytes = Array(input.utf8)
            for split in 0...bytes.count {
                var stream = Self.masker.makeStream()
                var out: [UInt8] = []
                stream.feed(Array(bytes[..<split]), into: &out)
                stream.feed(Array(bytes[split...]), into: &out)
                stream.finish(into: &out)
                #expect(String(decoding: out, as: UTF8.self) == expected, "\(input) split at \(split)")
            }
        }
    }

    @Test func byteByByteGivesTheSameOutput() {
        for (input, expected) in Self.table {
            var stream = Self.masker.makeStream()
            var out: [UInt8] = []
            for byte in input.utf8 { stream.feed([byte], into: &out) }
            stream.finish(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected, "\(input)")
        }
    }

    @Test func ordinaryOutputIsNotHeldBack() {
        var stream = Self.masker.makeStream()
        var out: [UInt8] = []
        stream.feed(Array("progress 10%\n".utf8), into: &out)
        #expect(out == Array("progress 10%\n".utf8))
        out = []
        stream.feed(Array("secret: hunter2".utf8), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "secret: ", "only a possible secret's start waits")
        #expect(stream.heldBytes == 7)
        stream.feed(Array("-token!".utf8), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "secret: ***!")
    }

    @Test func endlessRunOfMatchesStaysBoundedAndMasked() {
        let masker = SecretMasker(values: [Array("aaaaaa".utf8)])
        var stream = masker.makeStream()
        var out: [UInt8] = []
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 4096)
        var maximumHeld = 0
        for _ in 0..<256 {
            stream.feed(chunk, into: &out)
            maximumHeld = max(maximumHeld, stream.heldBytes)
        }
        stream.feed(Array("b".utf8), into: &out)
        stream.finish(into: &out)
        #expect(maximumHeld <= stream.maximumHold + chunk.count)
        #expect(out.firstRange(of: Array("aa".utf8)) == nil, "not a byte of the run leaks")
        #expect(String(decoding: out, as: UTF8.self).hasSuffix("*b"))
    }

    @Test func randomTextWithSecretsSplitAnywhere() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "hunter2-token", "abc", "def", "ghi", "p@ss w/rd", " ", "\n", "xyz", "hunter2-", "aHVudGVyMi10b2tlbg",
        ]
        for _ in 0..<200 {
            let input = Array((0..<30).map { _ in pieces.randomElement(using: &generator)! }.joined().utf8)
            let expected = Self.masker.mask(input)
            var stream = Self.masker.makeStream()
            var out: [UInt8] = []
            var offset = 0
            while offset < input.count {
                let size = Int.random(in: 1...7, using: &generator)
                let end = min(offset + size, input.count)
                stream.feed(Array(input[offset..<end]), into: &out)
                offset = end
            }
            stream.finish(into: &out)
            #expect(out == expected)
            #expect(out.firstRange(of: Array("hunter2-token".utf8)) == nil)
        }
    }

    @Test func shortSecretsAreMaskedWithAWarning() {
        let masker = SecretMasker(values: [Array("abc".utf8), []], names: ["tiny", "empty"])
        #expect(masker.mask("xabcx") == "x***x")
        #expect(masker.warnings.count == 2)
        #expect(masker.warnings[0].contains("`tiny` is only 3 bytes"))
        #expect(masker.warnings[1].contains("`empty` is empty"))
    }

    @Test func emptyMaskerPassesEverything() {
        #expect(SecretMasker.none.mask("anything") == "anything")
        #expect(SecretMasker.none.isEmpty)
    }

    @Test func everyByteValueCanBeASecret() {
        let all = (0...255).map { UInt8($0) }
        let masker = SecretMasker(values: [all])
        #expect(masker.mask([1, 2] + all + [3]) == [1, 2] + Array("***".utf8) + [3])
    }

    @Test func containsSecret() {
        #expect(Array("x hunter2-token".utf8).withUnsafeBytes { Self.masker.containsSecret(in: $0) })
        #expect(!Array("x hunter2".utf8).withUnsafeBytes { Self.masker.containsSecret(in: $0) })
    }
}
