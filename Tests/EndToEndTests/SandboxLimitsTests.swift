import Foundation
import TestSupport
import Testing

/// Runaway scripts hit their limits, the result says so, the agent survives.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SandboxLimitsTests {
    func run(_ script: String, _ body: String, settings: [String: String]) throws -> (
        AgentWorld, Command.Output, [String: Any]
    ) {
        let world = try AgentWorld()
        try world.commit([script: body])
        let jobID = "limit-\(UUID().uuidString.prefix(8))"
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": String(script.split(separator: ".")[0])], settings: settings)
        try world.validateResult(jobID)
        return (world, run, try world.result(jobID))
    }

    func rlimits(_ result: [String: Any]) -> [String: Any] {
        ((result["sandbox"] as? [String: Any])?["rlimits"] as? [String: Any]) ?? [:]
    }

    @Test func aCPUSpinnerGetsSIGXCPU() throws {
        let (world, run, result) = try run("spin.py", "while True: pass\n", settings: ["limits.cpu_seconds": "1"])
        defer { world.remove() }
        #expect(run.status == 128 + 24, "\(run.stderr)")
        #expect(result["status"] as? String == "failed")
        #expect(result["signal"] as? String == "SIGXCPU")
        #expect(rlimits(result)["cpu_seconds"] as? Int == 1)
    }

    @Test func aMemoryHogCannotAllocate() throws {
        let hog =
            "import sys\ntry:\n    b = bytearray(1 << 30)\nexcept MemoryError:\n    print('MemoryError'); sys.exit(3)\n"
        let (world, run, result) = try run("hog.py", hog, settings: ["limits.memory_bytes": "256M"])
        defer { world.remove() }
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stdout.contains("MemoryError"))
        #expect(rlimits(result)["memory_bytes"] as? Int == 256 << 20)
    }

    @Test func aDiskFillerGetsSIGXFSZ() throws {
        // head(1) keeps SIGXFSZ's default action (Python would ignore it).
        let filler = #"exec head -c 104857600 /dev/zero > "$SF_ARTIFACTS_DIR/big""#
        let (world, run, result) = try run("fill.sh", filler, settings: ["limits.file_bytes": "1M"])
        defer { world.remove() }
        #expect(run.status == 128 + 25, "\(run.stderr)")
        #expect(result["signal"] as? String == "SIGXFSZ")
        #expect(rlimits(result)["file_bytes"] as? Int == 1 << 20)
        let size =
            try FileManager.default.attributesOfItem(
                atPath: try world.extractArtifacts(result["job_id"] as? String ?? "") + "/big")[.size] as? Int
        #expect(size == 1 << 20)
    }

    @Test func aForkBombIsBoundedAndCleanedUp() throws {
        // Forks until the kernel refuses, leaves every child behind, exits.
        let bomb = """
            import os, time
            n = 0
            try:
                for _ in range(2000):
                    if os.fork() == 0:
                        time.sleep(120); os._exit(0)
                    n += 1
            except BlockingIOError:
                pass
            print(f"started {n}")
            """
        let (world, run, result) = try run(
            "bomb.py", bomb, settings: ["limits.processes": "64", "run.kill_grace": "1s"])
        defer { world.remove() }
        #expect(run.status == 0, "\(run.stderr)")
        let started =
            Int(run.stdout.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        #expect(started >= 0 && started < 64, "RLIMIT_NPROC stopped the forks: \(run.stdout)")
        #expect(rlimits(result)["processes"] as? Int == 64)
        #expect(AgentWorld.processes(ofJob: result["job_id"] as? String ?? "").isEmpty, "nothing of the bomb is left")
    }
}
