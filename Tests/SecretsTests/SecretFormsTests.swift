import Foundation
import Testing

@testable import Secrets

/// The forms a secret takes in output, each derived as a real encoder would write it.
@Suite struct SecretFormsTests {
    func text(_ forms: [[UInt8]]) -> [String] { forms.map { String(decoding: $0, as: UTF8.self) } }

    @Test func formsOfAValueWithSpecialCharacters() {
        let forms = text(SecretForms.of(Array("p@ss w/rd\"x".utf8)))
        #expect(forms.first == "p@ss w/rd\"x", "the value itself comes first")
        #expect(forms.contains("p%40ss%20w%2Frd%22x"), "URL-escaped")
        #expect(forms.contains("p%40ss%20w%2frd%22x"), "URL-escaped, lower-case hex")
        #expect(forms.contains("p%40ss+w%2Frd%22x"), "form-encoded")
        #expect(forms.contains("p@ss w/rd\\\"x"), "JSON-escaped")
        #expect(forms.contains("p@ss w\\/rd\\\"x"), "JSON-escaped with \\/")
        #expect(forms.contains("cEBzcyB3L3JkIn"), "base64, without the character that mixes in the next byte")
        #expect(Set(forms).count == forms.count, "no duplicates")
    }

    @Test func nonASCIIValueHasItsEscapedJSONForm() {
        let forms = text(SecretForms.of(Array("gé-secret😀".utf8)))
        #expect(forms.contains("g\\u00e9-secret\\ud83d\\ude00"), "as Python's json.dumps writes it")
    }

    @Test func multiLineValueMasksEachLongLine() {
        let forms = text(SecretForms.of(Array("-----BEGIN KEY-----\r\nMIIEvQIBADANBg\n}\n-----END KEY-----".utf8)))
        #expect(forms.contains("-----BEGIN KEY-----"))
        #expect(forms.contains("MIIEvQIBADANBg"))
        #expect(forms.contains("-----END KEY-----"))
        #expect(!forms.contains("}"), "a line shorter than 6 bytes would mask ordinary text")
        #expect(forms.contains("-----BEGIN KEY-----\\r\\nMIIEvQIBADANBg\\n}\\n-----END KEY-----"), "JSON-escaped whole")
    }

    @Test func shortDerivedFormsAreDropped() {
        #expect(text(SecretForms.of(Array("abc".utf8))) == ["abc", "YWJj"].filter { $0.count >= 6 || $0 == "abc" })
        #expect(SecretForms.of([]).isEmpty)
    }

    /// Wherever a value sits in a base64 text, one of its aligned cores is in it.
    @Test(arguments: [1, 2, 3, 5, 6, 7, 8, 13, 40])
    func base64CoreIsFoundAtEveryAlignment(length: Int) {
        let value = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let cores = (0..<3).map { Base64.alignedCore(value, offset: $0) }
        let urlCores = (0..<3).map { Base64.alignedCore(value, offset: $0, urlSafe: true) }
        for before in 0..<6 {
            for after in 0..<4 {
                let text = [UInt8](repeating: 0xA5, count: before) + value + [UInt8](repeating: 0x5A, count: after)
                let data = Data(text)
                let encoded = Array(data.base64EncodedString().utf8)
                let core = cores[before % 3]
                #expect(
                    core.isEmpty || encoded.firstRange(of: core) != nil, "standard, \(before) before, \(after) after")
                let url = Array(
                    data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
                        of: "/", with: "_"
                    ).utf8)
                let urlCore = urlCores[before % 3]
                #expect(urlCore.isEmpty || url.firstRange(of: urlCore) != nil, "URL-safe, \(before) before")
            }
        }
    }

    @Test func base64MatchesFoundation() {
        for length in 0..<20 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 3) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
            #expect(String(decoding: Base64.encode(bytes), as: UTF8.self) == expected)
        }
    }
}
