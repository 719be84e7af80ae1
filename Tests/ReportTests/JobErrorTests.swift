import ConfigKeys
import Testing

@testable import Report

@Suite struct JobErrorTests {
    /// Every message reaches `result.json` in one voice: a sentence with a
    /// capital letter (names are left as written) and a final stop.
    @Test(arguments: [
        ("cannot write /output/x: No space left on device", "Cannot write /output/x: No space left on device."),
        ("Cannot write result.json.", "Cannot write result.json."),
        ("lost track of /bin/sh", "Lost track of /bin/sh."),
        ("run.user: Invalid user \"x\": no such user.", "run.user: Invalid user \"x\": no such user."),
        (
            "`repo.url` is not set: set it with --set repo.url=...",
            "`repo.url` is not set: set it with --set repo.url=..."
        ),
        ("/output/job holds no result.json", "/output/job holds no result.json."),
        ("SCRIPT_ID: is not set", "SCRIPT_ID: is not set."),
        ("Is the server up?", "Is the server up?"),
        ("", ""),
    ])
    func messagesAreSentences(written: String, stored: String) {
        #expect(JobError(.internalError, written).message == stored)
        #expect(JobError(.internalError, written).description == stored)
    }

    @Test func codesKeepTheirStatusAndExitCode() {
        #expect(JobError(.scriptRefused, "x").code.status == .rejected)
        #expect(JobError(.jobInProgress, "x").code.exitCode == .jobInProgress)
        #expect(JobError(.policyViolation, "x", rule: .key(.policyAllowedScripts)).rule == .key(.policyAllowedScripts))
    }
}
