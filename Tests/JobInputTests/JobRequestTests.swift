import Testing

@testable import JobInput

@Suite struct JobRequestTests {
    @Test func readsAWholeJob() throws {
        let job = try JobRequest(environment: [
            "JOB_ID": "job-42_a.b", "SCRIPT_ID": "deploy/web-1", "PARAMETERS": #"{"host":"a"}"#,
            "SCRIPTS_REF": "refs/tags/v1",
        ])
        #expect(job.jobID == "job-42_a.b")
        #expect(job.scriptID == "deploy/web-1")
        #expect(job.parameters.entries.map(\.name) == ["host"])
        #expect(job.ref == "refs/tags/v1")
    }

    @Test func parametersAreOptional() throws {
        #expect(try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s"]).parameters == .empty)
        #expect(
            try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s", "PARAMETERS": "  "]).parameters == .empty)
    }

    @Test(
        arguments: [
            (nil, "JOB_ID: is not set"),
            ("", "JOB_ID: is not set"),
            (".", "JOB_ID: may not start with `.`."),
            ("..", "JOB_ID: may not start with `.`."),
            (".x.passwd", "JOB_ID: may not start with `.`."),
            ("a/b", "JOB_ID: contains `/`"),
            ("a b", "JOB_ID: contains the character U+20"),
            ("jöb", "JOB_ID: contains the character U+F6"),
            (String(repeating: "x", count: 129), "JOB_ID: is 129 bytes long; at most 128"),
        ] as [(String?, String)])
    func rejectsJobIDs(value: String?, message: String) {
        #expect {
            try JobRequest.validJobID(value)
        } throws: { error in
            (error as? JobInputError)?.description.hasPrefix(message) == true
        }
    }

    @Test func acceptsLongestJobID() throws {
        let id = String(repeating: "x", count: 128)
        #expect(try JobRequest.validJobID(id) == id)
    }

    @Test(
        arguments: [
            (nil, "is not set"), ("/etc/passwd", "starts with `/`"), ("a//b", "empty, `.` or `..` segment"),
            ("a/../b", "empty, `.` or `..` segment"), ("./a", "empty, `.` or `..` segment"),
            ("a/", "empty, `.` or `..` segment"),
            ("..", "empty, `.` or `..` segment"), ("a;rm", "contains `;`"), ("$(id)", "contains `$`"),
            ("a\nb", "contains the character U+A"), (String(repeating: "a", count: 257), "at most 256"),
        ] as [(String?, String)])
    func rejectsScriptIDs(value: String?, fragment: String) {
        #expect {
            try JobRequest.validScriptID(value)
        } throws: { error in
            guard let error = error as? JobInputError else { return false }
            return error.variable == "SCRIPT_ID" && error.reason.contains(fragment)
        }
    }

    @Test(arguments: ["deploy", "deploy/web", "a.b/c-d/e_f", "repro-1.2"])
    func acceptsScriptIDs(value: String) throws {
        #expect(try JobRequest.validScriptID(value) == value)
    }

    @Test func rejectsRefShapes() throws {
        #expect(throws: JobInputError.self) { try JobRequest.validRef("") }
        #expect(throws: JobInputError.self) { try JobRequest.validRef("main; rm -rf /") }
        #expect(throws: JobInputError.self) { try JobRequest.validRef("v1^{}") }
        #expect(try JobRequest.validRef(nil) == nil)
        #expect(try JobRequest.validRef("release/2.0") == "release/2.0")
    }
}

/// Inputs the job identifiers fuzz harness found (Fuzz/Corpus/jobidentifiers); each failed before its fix.
@Suite struct JobRequestFuzzFindingTests {
    /// `Character.isWhitespace` took a vertical tab, a form feed, NEL or
    /// U+2028 for blank, so such a PARAMETERS ran the job with none
    /// instead of being refused as not JSON.
    @Test(arguments: ["\u{0B}", "\u{0C}", " \u{85}", "\u{A0}", "\u{2028}", "\u{3000}"])
    func onlyJSONWhitespaceIsBlank(parameters: String) {
        #expect(throws: JobInputError.self) {
            try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s", "PARAMETERS": parameters])
        }
    }

    @Test func jsonWhitespaceIsBlank() throws {
        #expect(
            try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s", "PARAMETERS": " \t\r\n"]).parameters == .empty
        )
    }
}

@Suite struct ScriptsCommitInputTests {
    @Test func aFullCommitIdIsKeptLowercase() throws {
        let id = String(repeating: "AB", count: 20)
        let job = try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s", "SCRIPTS_COMMIT": id])
        #expect(job.expectedCommit == id.lowercased())
        #expect(try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s"]).expectedCommit == nil)
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 40), String(repeating: "a", count: 41), "main"])
    func anythingElseIsInvalid(value: String) {
        #expect(throws: JobInputError.self) {
            _ = try JobRequest(environment: ["JOB_ID": "j", "SCRIPT_ID": "s", "SCRIPTS_COMMIT": value])
        }
    }
}
