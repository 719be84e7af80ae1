import ConfigKeys
import Policy
import Testing

@Suite struct CommitPinTests {
    let one = String(repeating: "a", count: 40)
    let two = String(repeating: "b", count: 40)

    @Test func noPinOrTheSameCommitPasses() throws {
        try CommitPin.check(expected: nil, resolved: one, ref: "main")
        try CommitPin.check(expected: one.uppercased(), resolved: one, ref: "main")
    }

    @Test func anotherCommitIsRefusedNamingBoth() {
        #expect {
            try CommitPin.check(expected: one, resolved: two, ref: "v1")
        } throws: { error in
            guard let violation = error as? PolicyViolation else { return false }
            return violation.rule == .jobVariable("SCRIPTS_COMMIT") && violation.message.contains(one)
                && violation.message.contains(two)
                && violation.message.contains("`v1`")
        }
    }
}

@Suite struct ScriptDigestsTests {
    let hex = String(repeating: "0123456789abcdef", count: 4)
    let other = String(repeating: "f", count: 64)

    @Test func readsSha256sumOutput() throws {
        let text = "# reviewed 2026-12-01\n\n\(hex)  deploy/web.py\n\(other.uppercased()) *tools/x.sh\r\n"
        let digests = try ScriptDigests(parsing: text, file: "/etc/d")
        #expect(digests.digests == ["deploy/web.py": hex, "tools/x.sh": other])
        try digests.check(path: "deploy/web.py", sha256: hex)
        try digests.check(path: "tools/x.sh", sha256: other)
    }

    @Test(arguments: [
        ("abc  x.py", 1, "64 hexadecimal digits"),
        ("\n\(String(repeating: "0", count: 64)) x.py", 2, "two spaces"),
        ("\(String(repeating: "0", count: 64))  ", 1, "path is missing"),
        ("\(String(repeating: "0", count: 64))  /etc/x.py", 1, "not a plain path"),
        ("\(String(repeating: "0", count: 64))  a/../x.py", 1, "not a plain path"),
        ("\(String(repeating: "0", count: 64))  x.py\n\(String(repeating: "1", count: 64))  x.py", 2, "second time"),
        ("\(String(repeating: "g", count: 64))  x.py", 1, "64 hexadecimal digits"),
    ])
    func parseErrorsNameTheLine(text: String, line: Int, reason: String) {
        #expect {
            _ = try ScriptDigests(parsing: text, file: "/etc/d")
        } throws: { error in
            guard let error = error as? ScriptDigests.ParseError else { return false }
            return error.line == line && error.reason.contains(reason)
                && error.description.contains("/etc/d, line \(line)")
        }
    }

    @Test func aMissingLineOrAnotherDigestIsRefused() throws {
        let digests = try ScriptDigests(parsing: "\(hex)  a.py\n", file: "/etc/d")
        #expect {
            try digests.check(path: "b.py", sha256: hex)
        } throws: { ($0 as? PolicyViolation)?.message.contains("has no line") == true }
        #expect {
            try digests.check(path: "a.py", sha256: other)
        } throws: { error in
            guard let violation = error as? PolicyViolation else { return false }
            return violation.rule == .key(.policyScriptDigests) && violation.message.contains(hex)
                && violation.message.contains(other)
        }
    }
}
