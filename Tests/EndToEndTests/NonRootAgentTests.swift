import Foundation
import Testing

/// The agent started as a non-root user (Kubernetes `runAsNonRoot`): the
/// script runs as that same user, with no user switch attempted.
@Suite(.timeLimit(.minutes(3))) struct NonRootAgentTests {
    @Test func scriptRunsAsTheAgentsOwnUser() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["whoami.sh": #"grep -E '^(Uid|Gid|Groups):' /proc/self/status > "$SF_ARTIFACTS_DIR/identity.txt""#])
        for directory in [world.cache, world.work, world.output] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Command.check("/bin/chown", ["10001:10001", directory])
        }
        let run = try world.agent(
            job: ["JOB_ID": "nonroot", "SCRIPT_ID": "whoami"], settings: ["run.user": "root"],
            launcher: ["/usr/bin/setpriv", "--reuid=10001", "--regid=10001", "--clear-groups", "--"])
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("nonroot")
        let user = try #require(try world.result("nonroot")["user"] as? [String: Any])
        #expect(user["uid"] as? Int == 10001, "run.user is ignored when the agent is not root")
        #expect(user["groups"] as? [Int] == [])
        let identity = try String(contentsOfFile: try world.extractArtifacts("nonroot") + "/identity.txt", encoding: .utf8)
        #expect(identity.contains("Uid:\t10001\t10001\t10001\t10001"), "\(identity)")
    }
}
