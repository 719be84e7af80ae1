import JobInput
import Testing

@testable import Launch

@Suite struct ArgvBuilderTests {
    func argv(_ json: String, _ style: ParameterStyle) throws -> [String] {
        ArgvBuilder.arguments(for: try ParametersParser.parse(json), style: style)
    }

    @Test func gnuStyle() throws {
        #expect(
            try argv(#"{"host": "web 1", "port": 8080, "dry_run": true, "force": false, "skip": null}"#, .gnu)
                == ["--host", "web 1", "--port", "8080", "--dry_run", "true", "--force", "false"])
    }

    @Test func powershellStyle() throws {
        #expect(
            try argv(#"{"Host": "web 1", "Port": 8080, "DryRun": true, "Force": false, "Skip": null}"#, .powershell)
                == ["-Host", "web 1", "-Port", "8080", "-DryRun:$true", "-Force:$false"])
    }

    @Test func arraysRepeatTheOptionAndSkipNulls() throws {
        #expect(try argv(#"{"tag": ["a", null, 2, true]}"#, .gnu) == ["--tag", "a", "--tag", "2", "--tag", "true"])
        #expect(try argv(#"{"Tag": ["a", true]}"#, .powershell) == ["-Tag", "a", "-Tag:$true"])
        #expect(try argv(#"{"tag": []}"#, .gnu) == [])
    }

    /// Each hostile value is one argv element, byte for byte.
    @Test(arguments: [
        "with spaces", "double \" quote", "single ' quote", "semi; colon", "$(id)", "`id`", "${HOME}",
        "line\nbreak", "tab\there", "back\\slash", "glob * ?", "pipe | and & amp", "> redirect", "ünïcödé 日本 😀", "",
        "--not-an-option-but-a-value", "-x",
    ])
    func hostileValuesStayOneElement(value: String) throws {
        let parameters = Parameters(entries: [("v", .scalar(.string(value)))], json: "{}")
        let gnu = ArgvBuilder.arguments(for: parameters, style: .gnu)
        let powershell = ArgvBuilder.arguments(for: parameters, style: .powershell)
        if value.hasPrefix("-") {
            #expect(gnu == ["--v=" + value])
            #expect(powershell == ["-v:" + value])
        } else {
            #expect(gnu == ["--v", value])
            #expect(powershell == ["-v", value])
        }
    }

    @Test func negativeNumbersAreJoinedToTheirOption() throws {
        #expect(try argv(#"{"offset": -5}"#, .gnu) == ["--offset=-5"])
        #expect(try argv(#"{"Offset": -5}"#, .powershell) == ["-Offset:-5"])
    }

    @Test func styleFollowsTheExtension() {
        #expect(ParameterStyle.forExtension("ps1") == .powershell)
        #expect(ParameterStyle.forExtension("py") == .gnu)
        #expect(ParameterStyle.forExtension("sh") == .gnu)
    }
}

/// Found by the argv fuzz harness (Fuzz/Corpus/argv); failed before its fix.
@Suite struct ArgvBuilderFuzzFindingTests {
    /// `-` and a combining mark after it are one `Character`, so `hasPrefix("-")`
    /// missed a value a script's option parser reads as starting with a dash:
    /// it stood alone, where an option could be read.
    @Test(arguments: ["-\u{301}-force", "-\u{487}x", "-\u{20DD}"])
    func aDashWithACombiningMarkIsJoined(value: String) {
        let parameters = Parameters(entries: [("v", .scalar(.string(value)))], json: "{}")
        #expect(ArgvBuilder.arguments(for: parameters, style: .gnu) == ["--v=" + value])
        #expect(ArgvBuilder.arguments(for: parameters, style: .powershell) == ["-v:" + value])
    }
}
