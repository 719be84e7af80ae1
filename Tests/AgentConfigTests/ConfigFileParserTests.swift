import Testing

@testable import AgentConfig

@Suite struct ConfigFileParserTests {
    @Test func readsKeysCommentsBlankLinesAndQuotes() throws {
        let text = """
            # the scripts
            repo.url = git://127.0.0.1/scripts

            repo.ref=v1.2
            run.user = "runner"
            scripts.dir = "with \\"quotes\\" and \\\\ slash"
            \trun.timeout =   90s  \r
            """
        let values = try ConfigFileParser.parse(text, path: "agent.conf")
        #expect(values["repo.url"] == SourcedValue("git://127.0.0.1/scripts", from: .file(path: "agent.conf", line: 2)))
        #expect(values["repo.ref"]?.value == "v1.2")
        #expect(values["run.user"]?.value == "runner")
        #expect(values["scripts.dir"]?.value == #"with "quotes" and \ slash"#)
        #expect(values["run.timeout"] == SourcedValue("90s", from: .file(path: "agent.conf", line: 7)))
        #expect(values.count == 5)
    }

    @Test func emptyValueIsAllowed() throws {
        #expect(try ConfigFileParser.parse("scripts.dir =\n", path: "f")["scripts.dir"]?.value == "")
        #expect(try ConfigFileParser.parse("scripts.dir = \"\"\n", path: "f")["scripts.dir"]?.value == "")
    }

    @Test(arguments: [
        ("repo.url /srv", ConfigError.malformedLine(path: "f", line: 1, text: "repo.url /srv")),
        ("= value", .malformedLine(path: "f", line: 1, text: "= value")),
        ("repo url = x", .malformedLine(path: "f", line: 1, text: "repo url = x")),
        ("repo.url = \"open", .malformedLine(path: "f", line: 1, text: "repo.url = \"open")),
        ("repo.url = \"a\" b", .malformedLine(path: "f", line: 1, text: "repo.url = \"a\" b")),
        ("repo.url = \"\\n\"", .malformedLine(path: "f", line: 1, text: "repo.url = \"\\n\"")),
        ("repo.uri = x", .unknownKey(key: "repo.uri", source: .file(path: "f", line: 1))),
        ("repo.url = a\nrepo.url = b", .duplicateKey(key: "repo.url", path: "f", line: 2, firstLine: 1)),
    ])
    func rejectsWithFileAndLine(text: String, expected: ConfigError) {
        #expect(throws: expected) { try ConfigFileParser.parse(text, path: "f") }
    }

    @Test func errorsNameFileLineAndKey() {
        #expect(
            ConfigError.unknownKey(key: "repo.uri", source: .file(path: "/etc/sf-agent/agent.conf", line: 3))
                .description
                == "Unknown configuration key `repo.uri` in /etc/sf-agent/agent.conf:3; see agent.conf.example for the keys."
        )
        #expect(ConfigError.malformedLine(path: "a.conf", line: 9, text: "oops").description.hasPrefix("a.conf:9: "))
    }
}

@Suite struct ConfigInlineCommentTests {
    @Test func inlineCommentIsRefusedUnlessQuoted() throws {
        #expect(throws: ConfigError.inlineComment(key: "interpreter.py", path: "f", line: 1)) {
            try ConfigFileParser.parse("interpreter.py = python3 # system one", path: "f")
        }
        #expect(
            try ConfigFileParser.parse(#"repo.url = "git://h/r # odd""#, path: "f")["repo.url"]?.value
                == "git://h/r # odd")
        #expect(
            try ConfigFileParser.parse("repo.url = https://h/r#frag", path: "f")["repo.url"]?.value
                == "https://h/r#frag")
    }
}
