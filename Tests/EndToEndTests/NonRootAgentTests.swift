import Foundation
import TestSupport
import Testing

/// The agent started as a non-root user (Kubernetes `runAsNonRoot`): the
/// script runs as that same user, with no user switch attempted.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct NonRootAgentTests {
    @Test func scriptRunsAsTheAgentsOwnUser() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "whoami.sh": #"grep -E '^(Uid|Gid|Groups):' /proc/self/status > "$SF_ARTIFACTS_DIR/identity.txt""#
        ])
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
        let identity = try String(
            contentsOfFile: try world.extractArtifacts("nonroot") + "/identity.txt", encoding: .utf8)
        #expect(identity.contains("Uid:\t10001\t10001\t10001\t10001"), "\(identity)")
    }
}

/// A non-root agent has no CAP_DAC_OVERRIDE: folders and files the script
/// left unreadable (mode 000) are made readable to their owner, then archived.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct NonRootArchivingTests {
    @Test func unreadableArtifactsAreStillArchived() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "lock.sh": """
            set -e
            cd "$SF_ARTIFACTS_DIR"
            mkdir -p locked/inner
            echo inside > locked/inner/file.txt
            echo hidden > unreadable.txt
            chmod 000 unreadable.txt locked/inner locked
            """
        ])
        for directory in [world.cache, world.work, world.output] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Command.check("/bin/chown", ["10001:10001", directory])
        }
        let run = try world.agent(
            job: ["JOB_ID": "locked", "SCRIPT_ID": "lock"],
            launcher: ["/usr/bin/setpriv", "--reuid=10001", "--regid=10001", "--clear-groups", "--"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            try world.listArtifacts("locked") == [
                "locked", "locked/inner", "locked/inner/file.txt", "unreadable.txt",
            ])
        let extracted = try world.extractArtifacts("locked")
        #expect(try String(contentsOfFile: extracted + "/locked/inner/file.txt", encoding: .utf8) == "inside\n")
        #expect(try String(contentsOfFile: extracted + "/unreadable.txt", encoding: .utf8) == "hidden\n")
    }
}
