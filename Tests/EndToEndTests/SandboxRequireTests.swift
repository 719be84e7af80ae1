import Foundation
import TestSupport
import Testing

/// `sandbox.require` fails closed: a layer the host cannot apply refuses
/// the job before anything runs.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SandboxRequireTests {
    /// Runs the agent under a seccomp filter that answers the Landlock
    /// syscalls (444–446) with ENOSYS: what an old kernel, or a container
    /// runtime whose seccomp profile predates Landlock, looks like.
    static let withoutLandlock = MissingSyscallLauncher.make(444...446)

    @Test func landlockRequiredWhereThereIsNoneRefusesTheJob() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": RejectionTests.markerScript])
        let jobID = "require-\(UUID().uuidString.prefix(8))"
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "marker"], settings: ["sandbox.require": "landlock"],
            launcher: Self.withoutLandlock)
        #expect(run.status == 77, "\(run.stderr)")
        #expect(run.stderr.contains("sandbox.require asks for landlock"), "\(run.stderr)")
        try world.validateResult(jobID)
        let result = try world.result(jobID)
        #expect(result["status"] as? String == "rejected")
        let error = try #require(result["error"] as? [String: Any])
        #expect(error["code"] as? String == "sandbox_unavailable")
        #expect(error["rule"] as? String == "sandbox.require")
        #expect(result["sandbox"] is NSNull)
        #expect(!world.scriptRan(jobID), "nothing ran")

        // The same filter without the requirement: the job runs (and, with
        // no Landlock, leaves its marker in /tmp), and says Landlock was not there.
        defer { try? FileManager.default.removeItem(atPath: "/tmp/sf-e2e-ran-\(jobID)-b") }
        let besteffort = try world.agent(
            job: ["JOB_ID": jobID + "-b", "SCRIPT_ID": "marker"], launcher: Self.withoutLandlock)
        #expect(besteffort.status == 0, "\(besteffort.stderr)")
        #expect(world.scriptRan(jobID + "-b"))
        let landlock = try #require(try world.sandbox(jobID + "-b")["landlock"] as? [String: Any])
        #expect(landlock["abi"] as? Int == 0)
        #expect(landlock["enforced"] as? Bool == false)
    }

    @Test func networkRequiredWithTheHostNetworkIsAConfigurationError() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": RejectionTests.markerScript])
        let run = try world.agent(
            job: ["JOB_ID": "require-net", "SCRIPT_ID": "marker"], settings: ["sandbox.require": "network"])
        #expect(run.status == 78, "\(run.stderr)")
        #expect(run.stderr.contains("sandbox.require"))
    }
}
