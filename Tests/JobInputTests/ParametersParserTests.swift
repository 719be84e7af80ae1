import Testing

@testable import JobInput

@Suite struct ParametersParserTests {
    @Test func keepsOrderSpellingAndTypes() throws {
        let text =
            #"{"host": "web 1", "port": 8080, "ratio": 1.50, "big": -1e+30, "dry_run": true, "off": false, "skip": null, "tags": ["a", 2, false, null]}"#
        let parameters = try ParametersParser.parse(text)
        #expect(parameters.entries.map(\.name) == ["host", "port", "ratio", "big", "dry_run", "off", "skip", "tags"])
        #expect(
            parameters.entries.map(\.value) == [
                .scalar(.string("web 1")), .scalar(.number("8080")), .scalar(.number("1.50")),
                .scalar(.number("-1e+30")),
                .scalar(.bool(true)), .scalar(.bool(false)), .scalar(.null),
                .array([.string("a"), .number("2"), .bool(false), .null]),
            ])
        #expect(parameters.json == text)
    }

    @Test func decodesEscapesAndUnicode() throws {
        let text = #"{"s": "q\"b\\s\/n\n\t\u00e9\ud83d\ude00 ü $(id) `x` ;"}"#
        let parameters = try ParametersParser.parse(text)
        #expect(parameters.entries.first?.value == .scalar(.string("q\"b\\s/n\n\té😀 ü $(id) `x` ;")))
    }

    @Test func emptyObjectAndWhitespace() throws {
        #expect(try ParametersParser.parse(" {\n} ").entries.isEmpty)
        #expect(try ParametersParser.parse(#"{"a":[]}"#).entries.first?.value == .array([]))
    }

    @Test(arguments: [
        ("[1]", "must be a JSON object"),
        ("\"x\"", "must be a JSON object"),
        (#"{"a": {"b": 1}}"#, "value of `a` nests an object or array"),
        (#"{"a": [[1]]}"#, "value of `a` nests an object or array"),
        (#"{"a": [{"b": 1}]}"#, "value of `a` nests an object or array"),
        (#"{"a": 1, "a": 2}"#, "key `a` appears more than once"),
        (#"{"1a": 1}"#, "key `1a` is not allowed"),
        (#"{"a b": 1}"#, "key `a b` is not allowed"),
        (#"{"": 1}"#, "key `` is not allowed"),
        (#"{"-a": 1}"#, "key `-a` is not allowed"),
        ("{\"\(String(repeating: "k", count: 65))\": 1}", "is not allowed"),
        (#"{"a": 01}"#, "not valid JSON"),
        (#"{"a": 1.}"#, "not valid JSON"),
        (#"{"a": .5}"#, "not valid JSON"),
        (#"{"a": +1}"#, "not valid JSON"),
        (#"{"a": NaN}"#, "not valid JSON"),
        (#"{"a": tru}"#, "not valid JSON"),
        (#"{"a": "x"} trailing"#, "not valid JSON"),
        (#"{"a": "x",}"#, "not valid JSON"),
        (#"{"a": "unterminated}"#, "not valid JSON"),
        ("{\"a\": \"raw\nnewline\"}", "raw control character"),
        (#"{"a": "\ud800"}"#, "unpaired surrogate"),
        (#"{"a": "\x"}"#, "not valid JSON"),
        (#"{"a": "nul\u0000"}"#, "contains a NUL character"),
        (#"{"a" 1}"#, "not valid JSON"),
        ("{", "not valid JSON"),
        ("", "must be a JSON object"),
    ])
    func rejects(text: String, fragment: String) {
        #expect {
            try ParametersParser.parse(text)
        } throws: { error in
            guard let error = error as? JobInputError else { return false }
            return error.variable == "PARAMETERS" && error.reason.contains(fragment)
        }
    }

    @Test func sizeLimit() throws {
        let padding = String(repeating: "x", count: ParametersParser.maximumBytes - 10)
        let fits = #"{"a":"\#(padding)"}"#
        #expect(fits.utf8.count <= ParametersParser.maximumBytes)
        #expect(try ParametersParser.parse(fits).entries.count == 1)
        let tooBig = #"{"a":"\#(padding)xxxxxxxx"}"#
        #expect(
            throws: JobInputError(
                .parameters, reason: "is \(tooBig.utf8.count) bytes; at most 65536 (64 KiB) are allowed.")
        ) {
            try ParametersParser.parse(tooBig)
        }
    }
}
