import Foundation
import TestSupport
import Testing

/// Refused jobs: each exits with the documented code, writes a `rejected`
/// result with a reason, and runs nothing.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct RejectionTests {
    /// The script says so on stdout if it ever runs (its `stdout.log`), and
    /// tries to leave markers outside its directories, which the sandbox
    /// refuses (the checkout is `<root>/cache/checkouts/<commit>`, so
    /// `../../../markers` is the world's).
    static let markerScript =
        #"echo "ran-$JOB_ID"; touch "$(dirname "$0")/../../../markers/ran-$JOB_ID" "/tmp/sf-e2e-ran-$JOB_ID" 2>/dev/null; exit 0"#

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var job: [String: String]
        var settings: [String: String]
        var code: String
        var rule: String?
        var reason: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "script not on the allow-list", job: ["SCRIPT_ID": "marker"],
            settings: ["policy.allowed_scripts": "deploy/*"], code: "policy_violation", rule: "policy.allowed_scripts",
            reason: "Script `marker` is not allowed"),
        Case(
            name: "empty allow-list", job: ["SCRIPT_ID": "marker"],
            settings: ["policy.allowed_scripts": ""], code: "policy_violation", rule: "policy.allowed_scripts",
            reason: "allows nothing"),
        Case(
            name: "job ref without allowed_refs", job: ["SCRIPT_ID": "marker", "SCRIPTS_REF": "main"],
            settings: [:], code: "policy_violation", rule: "policy.allowed_refs", reason: "may not choose their ref"),
        Case(
            name: "job ref outside allowed_refs", job: ["SCRIPT_ID": "marker", "SCRIPTS_REF": "main"],
            settings: ["policy.allowed_refs": "release/*"], code: "policy_violation", rule: "policy.allowed_refs",
            reason: "matches none of policy.allowed_refs"),
        Case(
            name: "repository outside allowed_repos", job: ["SCRIPT_ID": "marker"],
            settings: ["policy.allowed_repos": "git://git.internal/*"], code: "policy_violation",
            rule: "policy.allowed_repos",
            reason: "is not allowed"),
        Case(
            name: "unpinned ref under require_pinned_commit", job: ["SCRIPT_ID": "marker"],
            settings: ["policy.require_pinned_commit": "true"], code: "policy_violation",
            rule: "policy.require_pinned_commit",
            reason: "not a full 40-hex commit id"),
        Case(
            name: "nested PARAMETERS", job: ["SCRIPT_ID": "marker", "PARAMETERS": #"{"a": {"b": 1}}"#],
            settings: [:], code: "invalid_job", rule: nil, reason: "PARAMETERS: value of `a` nests"),
        Case(
            name: "PARAMETERS not JSON", job: ["SCRIPT_ID": "marker", "PARAMETERS": "host=a"],
            settings: [:], code: "invalid_job", rule: nil, reason: "PARAMETERS: must be a JSON object"),
        Case(
            name: "SCRIPT_ID escaping", job: ["SCRIPT_ID": "../marker"],
            settings: [:], code: "invalid_job", rule: nil, reason: "SCRIPT_ID: `../marker` has an empty"),
        Case(
            name: "script missing from the repository", job: ["SCRIPT_ID": "absent"],
            settings: [:], code: "script_not_found", rule: nil, reason: "tried absent.ps1, absent.py, absent.sh"),
    ]

    @Test(arguments: cases)
    func refusedJobRunsNothing(_ testCase: Case) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": Self.markerScript])
        let jobID = "rejected-\(UUID().uuidString.prefix(8))"
        var job = testCase.job
        job["JOB_ID"] = jobID
        let run = try world.agent(job: job, settings: testCase.settings)
        #expect(run.status == 77, "\(run.stderr)")
        #expect(run.stderr.contains(testCase.reason), "\(run.stderr)")
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "rejected")
        #expect(result["agent_exit_code"] as? Int == 77)
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == testCase.code)
        #expect((error["message"] as? String)?.contains(testCase.reason) == true)
        #expect(error["rule"] as? String == testCase.rule)
        #expect(!world.scriptRan(jobID))
        #expect(!FileManager.default.fileExists(atPath: world.markers + "/ran-" + jobID))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sf-e2e-ran-" + jobID))
        #expect(result["exit_code"] is NSNull)
        #expect(
            !FileManager.default.fileExists(atPath: world.work + "/" + jobID), "no work directory for a refused job")
    }

    @Test func invalidJobIDWritesNoResultAnywhere() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": Self.markerScript])
        let run = try world.agent(job: ["JOB_ID": "../escape", "SCRIPT_ID": "marker"])
        #expect(run.status == 77)
        #expect(run.stderr.contains("JOB_ID: contains `/`"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: world.output), "nothing written outside a valid job folder")
    }

    @Test func configurationErrorNamesTheKey() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let run = try world.agent(job: ["JOB_ID": "cfg", "SCRIPT_ID": "marker"], settings: ["run.timeout": "soon"])
        #expect(run.status == 78)
        #expect(run.stderr.contains("Invalid value `soon` for `run.timeout` in --set"), "\(run.stderr)")
        let unknown = try world.agent(job: ["JOB_ID": "cfg", "SCRIPT_ID": "marker"], settings: ["run.timout": "1m"])
        #expect(unknown.status == 78)
        #expect(unknown.stderr.contains("Unknown configuration key `run.timout`"), "\(unknown.stderr)")
    }

    @Test(arguments: ["root", "0:0", "0:10001"])
    func rootRunUserIsRefused(user: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": Self.markerScript])
        let jobID = "root-\(UUID().uuidString.prefix(8))"
        let run = try world.agent(job: ["JOB_ID": jobID, "SCRIPT_ID": "marker"], settings: ["run.user": user])
        #expect(run.status == 78, "\(run.stderr)")
        #expect(run.stderr.contains("scripts never run as root"), "\(run.stderr)")
        try world.validateResult(jobID)
        #expect((try world.result(jobID)["error"] as? [String: Any])?["code"] as? String == "config_error")
        #expect(!world.scriptRan(jobID))
    }

    @Test func unknownRefIsASourceError() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": Self.markerScript])
        let run = try world.agent(
            job: ["JOB_ID": "noref", "SCRIPT_ID": "marker"], settings: ["repo.ref": "no-such-branch"])
        #expect(run.status == 69, "\(run.stderr)")
        try world.validateResult("noref")
        let result = try world.result("noref")
        #expect(result["status"] as? String == "error")
        #expect((result["error"] as? [String: Any])?["code"] as? String == "source_error")
        #expect(!world.scriptRan("noref"))
    }
}

/// The control for the rejection tests: the same marker script, allowed,
/// does say it ran, so its silence above means it did not run; and the
/// sandbox keeps its markers out of the world's folders and /tmp.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct RejectionControlTests {
    @Test func markerScriptLeavesItsMarkersWhenAllowed() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": RejectionTests.markerScript])
        let jobID = "control-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: "/tmp/sf-e2e-ran-" + jobID) }
        let run = try world.agent(job: ["JOB_ID": jobID, "SCRIPT_ID": "marker"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(world.scriptRan(jobID))
        #expect(!FileManager.default.fileExists(atPath: world.markers + "/ran-" + jobID), "Landlock")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sf-e2e-ran-" + jobID), "Landlock")
    }
}
