import Foundation
import TestSupport
import Testing

/// A script that writes a gigabyte: the capped logs keep head and tail,
/// result.json says they were cut, and the agent's memory stays flat.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct OutputLimitsTests {
    @Test func gigabyteOfOutputIsCappedWithBoundedMemory() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "flood.sh": """
            echo "first line"
            yes "the quick brown fox jumps over the lazy dog 0123456789" | head -c 1073741824
            echo "last line"
            echo "to stderr" >&2
            """
        ])
        // GNU time measures the agent (sh execs it); its console copy goes to /dev/null.
        let launcher = ["/usr/bin/time", "-v", "/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/null"]
        let run = try world.agent(
            job: ["JOB_ID": "flood", "SCRIPT_ID": "flood"], settings: ["output.max_log_bytes": "1MiB"],
            launcher: launcher)
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        try world.validateResult("flood")

        let log = try world.readOutput("flood", "stdout.log")
        #expect(log.hasPrefix("first line\nthe quick brown fox"))
        #expect(log.hasSuffix("last line\n"), "the tail is kept (head -c cuts the last fox line short)")
        #expect(log.contains("bytes dropped here"))
        #expect(log.utf8.count < (1 << 20) + 200, "the cap plus the marker line")
        let combined = try world.readOutput("flood", "combined.log")
        #expect(combined.hasSuffix(" stderr to stderr\n") || combined.contains(" stderr to stderr\n"))

        let logs = try #require(try world.result("flood")["logs"] as? [String: Any])
        #expect(logs["truncated"] as? Bool == true)
        #expect(logs["max_bytes"] as? Int == 1 << 20)
        let files = try #require(logs["files"] as? [[String: Any]])
        let stdout = try #require(files.first { $0["file"] as? String == "stdout.log" })
        let written = 1_073_741_824 + "first line\nlast line\n".utf8.count
        #expect(stdout["bytes"] as? Int == written)
        #expect(stdout["dropped_bytes"] as? Int == written - (1 << 20))
        let stderr = try #require(files.first { $0["file"] as? String == "stderr.log" })
        #expect(stderr["dropped_bytes"] as? Int == 0)
        #expect(run.stderr.contains("stdout.log is incomplete"), "the summary says so")

        let peak = try #require(run.stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") })
        let kilobytes = try #require(Int(peak.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? ""))
        #expect(kilobytes < 64 * 1024, "agent peak RSS \(kilobytes) KiB for 1 GiB of output")
        print("OutputLimitsTests: agent peak RSS \(kilobytes) KiB for 1 GiB of output")
    }
}
