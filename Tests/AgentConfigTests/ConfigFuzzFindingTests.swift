import Testing

@testable import AgentConfig

/// Inputs the config fuzz harness found (Fuzz/Corpus/config); each failed before its fix.
@Suite struct ConfigFuzzFindingTests {
    /// CR LF is one `Character`: a file saved with Windows line ends was one
    /// line, its first value swallowing every other setting.
    @Test func crlfLinesAreLines() throws {
        let values = try ConfigFileParser.parse("repo.url = /srv\r\nrun.user = runner\r\n", path: "f")
        #expect(values["repo.url"] == SourcedValue("/srv", from: .file(path: "f", line: 1)))
        #expect(values["run.user"] == SourcedValue("runner", from: .file(path: "f", line: 2)))
    }

    /// A combining mark made `#`, `=`, `,` or a blank part of one `Character`,
    /// so a comment was a malformed line and a list item kept its comma.
    @Test func combiningMarksDoNotHideSeparators() throws {
        #expect(try ConfigFileParser.parse("#\u{301} note\nrepo.url = /srv", path: "f").count == 1)
        #expect(try ConfigFileParser.parse("run.user =\u{301}x", path: "f")["run.user"]?.value == "\u{301}x")
        #expect(try ConfigFileParser.parse("run.user = \u{301}x", path: "f")["run.user"]?.value == "\u{301}x")
        #expect(throws: ConfigError.inlineComment(key: "run.user", path: "f", line: 1)) {
            try ConfigFileParser.parse("run.user = x #\u{301} comment", path: "f")
        }
        let parser = ConfigValueParser(values: [.policyAllowedScripts: SourcedValue("a,\u{301}b, c", from: .flag)])
        #expect(parser.list(.policyAllowedScripts) == ["a", "\u{301}b", "c"])
    }

    /// `Int("+5")` and `Int64("-0")` parse: numbers took a sign the docs never mention.
    @Test(arguments: [
        ("run.timeout", "+5s"), ("run.timeout", "+90"), ("run.kill_grace", "-0s"), ("report.attempts", "+3"),
        ("repo.fetch_attempts", "+2"), ("cache.keep_days", "-0"), ("cache.max_bytes", "+1K"), ("cache.max_bytes", "-0"),
        ("artifacts.level", "+3"), ("artifacts.threads", "+1"), ("artifacts.max_files", "-0"),
        ("output.owner", "+1:+1"),
    ])
    func signedNumbersAreRefused(key: String, value: String) {
        #expect {
            _ = try AgentConfiguration(
                values: ConfigLayers.merge(file: [:], environment: [:], flags: ["repo.url": "/srv", key: value]))
        } throws: { error in
            "\(error)".contains("`\(key)`")
        }
        #expect(ConfigValueParser.parseDuration(value) == nil || !value.hasPrefix("+"))
    }

    /// `/` or `.` and a combining mark after it are one `Character`: a branch
    /// `refs/heads/` + U+030C was refused, and `..` before a mark was not seen.
    @Test func branchNamesAreCheckedByteByByte() {
        #expect(SourceSettings.isBranchName("refs/heads/\u{30C}x"))
        #expect(SourceSettings.isBranchName("refs/heads/r\u{e9}sum\u{e9}"))
        #expect(!SourceSettings.isBranchName("refs/heads/a..\u{301}b"))
        #expect(!SourceSettings.isBranchName("refs/heads/a/.\u{301}b"))
    }

    /// A space and a combining mark after it are one `Character`: an interpreter
    /// command split once read back as one word when written out again.
    @Test func commandsSplitAtScalars() throws {
        let parser = ConfigValueParser(values: [
            .interpreterPy: SourcedValue("python3 \u{301}-I\t\u{488}x", from: .flag)
        ])
        #expect(try parser.command(.interpreterPy) == ["python3", "\u{301}-I", "\u{488}x"])
    }

    /// `../` with a combining mark after the slash was one segment, not `..`,
    /// so `scripts.dir` could climb out of the repository (the resolver's real
    /// path check still refused the script).
    /// `./scripts`, `scripts/`, `a//b` and `.` name one folder each way:
    /// the recorded script path (policy.script_digests) does not depend on it.
    @Test(arguments: [
        ("./scripts", "scripts"), ("scripts/", "scripts"), ("a//b", "a/b"), (".", ""), ("./a/./b/", "a/b"), ("", ""),
    ])
    func scriptsDirectoryIsNormalised(written: String, normalised: String) {
        #expect(AgentConfiguration.normalizedRelativePath(written) == normalised)
    }

    @Test func scriptsDirectoryIsCheckedByteByByte() {
        #expect(!AgentConfiguration.isRelativeInsidePath("../\u{301}x"))
        #expect(!AgentConfiguration.isRelativeInsidePath("a/../\u{301}"))
        #expect(AgentConfiguration.isRelativeInsidePath("a/\u{301}../b"))
        #expect(AgentConfiguration.isRelativeInsidePath(""))
    }
}
