import Foundation
import TestSupport
import Testing

/// Nothing of a job outlives it, in every containment mode and both agent
/// modes, however the job hides: a thread-group leader that exited while a
/// thread runs on (shows `Z`), fork chains whose links exit at once (in
/// Python and in C), `setsid` daemons, double forks, a tree that ignores
/// SIGTERM; and when the agent itself is SIGKILLed, mid-run or mid-fetch.
/// Serialized: the fork chains of parallel cases would share uid 10001's
/// process limit.
@Suite(.requiresRoot, .serialized, .timeLimit(.minutes(10))) struct ContainmentTests {
    static let scripts: [String: String] = SupervisionTests.leftovers.merging([
        // The main thread of a session leader exits; a thread runs on.
        "zombie-leader.py": """
        import ctypes, os, signal, threading, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if os.fork() == 0:
            os.setsid()
            threading.Thread(target=lambda: [time.sleep(0.05) for _ in iter(int, 1)]).start()
            ctypes.CDLL(None).pthread_exit(None)
        time.sleep(0.5)
        """,
        // Each link forks the next and exits at once.
        "chain.py": """
        import os, signal, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        def fork():
            while True:
                try:
                    return os.fork()
                except OSError:
                    time.sleep(0.01)
        if fork() == 0:
            os.setsid()
            while True:
                try:
                    if os.fork():
                        os._exit(0)
                except OSError:
                    time.sleep(0.01)
        time.sleep(0.5)
        """,
        "chain.c": """
        #include <signal.h>
        #include <unistd.h>
        int main(void) {
            signal(SIGTERM, SIG_IGN);
            pid_t first;
            while ((first = fork()) < 0) usleep(10000);
            if (first != 0) { usleep(500000); return 0; }
            setsid();
            for (;;) {
                pid_t child = fork();
                if (child > 0) _exit(0);
                if (child < 0) usleep(1000);
            }
        }
        """,
        "chain-c.sh": #"cc -O2 -o "$SF_WORK_DIR/chain" "$(dirname "$0")/chain.c" && exec "$SF_WORK_DIR/chain""# + "\n",
    ]) { $1 }

    static let hostile = ["zombie-leader", "chain", "chain-c", "daemon", "double", "stubborn"]

    @Test(arguments: ContainmentMode.allCases, [false, true])
    func nothingOfTheJobOutlivesIt(mode: ContainmentMode, nonRoot: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        if nonRoot { try world.prepareForNonRootAgent() }
        try world.commit(Self.scripts)
        for script in Self.hostile {
            let jobID = "contain-\(script)-\(UUID().uuidString.prefix(6))"
            let run = try world.agent(
                job: ["JOB_ID": jobID, "SCRIPT_ID": script], settings: ["run.timeout": "3s", "run.kill_grace": "1s"],
                launcher: mode.launcher(nonRoot: nonRoot))
            #expect(run.status == (script == "stubborn" ? 124 : 0), "\(script): \(run.stderr)")
            let survivors = AgentWorld.survivors(ofJob: jobID)
            #expect(
                survivors.isEmpty, "\(script) in \(mode), non-root \(nonRoot): threads \(survivors) outlived the job")
            try world.validateResult(jobID)
            let sandbox = try world.sandbox(jobID)
            #expect(sandbox["containment"] as? String == mode.rawValue, "\(script)")
            #expect(sandbox["user_namespace"] as? Bool == (nonRoot && mode == .pidNamespace))
            // Leave nothing for the next case if the protection failed.
            for thread in survivors { kill(Int32(thread.split(separator: "/")[0]) ?? 0, SIGKILL) }
        }
    }

    /// The agent SIGKILLed (the OOM killer, `kill -9`, a node drain) while a
    /// daemon of the job runs: where the kernel holds the job, the job dies
    /// with the agent.
    @Test(arguments: [ContainmentMode.pidNamespace, .containerInit], [false, true])
    func theJobDiesWithTheAgent(mode: ContainmentMode, nonRoot: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        if nonRoot { try world.prepareForNonRootAgent() }
        try world.commit([
            "hang.sh": """
            trap '' TERM
            setsid sh -c "trap '' TERM; exec sleep 300" </dev/null >/dev/null 2>&1 &
            touch "$SF_ARTIFACTS_DIR/started"
            while :; do sleep 1; done
            """
        ])
        let jobID = "killed-\(mode)-\(nonRoot ? "nonroot" : "root")-\(UUID().uuidString.prefix(6))"
        let launcher = try world.startAgent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "hang"], launcher: mode.launcher(nonRoot: nonRoot))
        #expect(world.waitFor(world.work + "/" + jobID + "/artifacts/started"), "the script started")
        let agent = try #require(AgentWorld.agentProcess(ofJob: jobID), "the agent of \(jobID)")
        #expect(AgentWorld.threads(ofJob: jobID).count > 3, "the job's processes run before the kill")
        kill(agent, SIGKILL)
        Self.expectGoneWithinASecond(jobID)
        launcher.waitUntilExit()
    }

    /// A fetch worker of a SIGKILLed agent dies with it: it must not go on
    /// writing the shared cache without the agent's lock.
    @Test(arguments: [false, true]) func theFetchWorkerDiesWithTheAgent(nonRoot: Bool) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        if nonRoot { try world.prepareForNonRootAgent() }
        let server = try SilentListener()
        defer { server.close() }
        let jobID = "killed-fetch-\(UUID().uuidString.prefix(8))"
        let launcher = try world.startAgent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"],
            settings: ["repo.url": "git://127.0.0.1:\(server.port)/scripts", "repo.fetch_timeout": "5m"],
            launcher: nonRoot ? AgentWorld.nonRootLauncher : [])
        #expect(server.waitForConnection(seconds: 60), "the fetch worker connected")
        let agent = try #require(AgentWorld.agentProcess(ofJob: jobID))
        let workers = AgentWorld.fetchWorkers(of: agent)
        #expect(workers.count == 1, "one fetch worker: \(workers)")
        kill(agent, SIGKILL)
        let deadline = Date().addingTimeInterval(1)
        while Date() < deadline && workers.contains(where: AgentWorld.isRunning) { usleep(20_000) }
        #expect(!workers.contains(where: AgentWorld.isRunning), "the fetch worker outlived the agent by a second")
        for worker in workers { kill(worker, SIGKILL) }
        launcher.waitUntilExit()
    }

    /// `sandbox.require = containment` runs a job only where the kernel
    /// holds it as one unit: the walk of `/proc` does not count.
    @Test func containmentRequiredRefusesTheWalk() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["marker.sh": RejectionTests.markerScript])
        let refused = try world.agent(
            job: ["JOB_ID": "require-walk", "SCRIPT_ID": "marker"], settings: ["sandbox.require": "containment"],
            launcher: ContainmentMode.processWalk.launcher(nonRoot: false))
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("sandbox.require asks for containment"), "\(refused.stderr)")
        #expect(!world.scriptRan("require-walk"))
        for mode in [ContainmentMode.pidNamespace, .containerInit] {
            let jobID = "require-\(mode)"
            let run = try world.agent(
                job: ["JOB_ID": jobID, "SCRIPT_ID": "marker"], settings: ["sandbox.require": "containment"],
                launcher: mode.launcher(nonRoot: false))
            #expect(run.status == 0, "\(mode): \(run.stderr)")
            #expect(try world.sandbox(jobID)["containment"] as? String == mode.rawValue)
        }
    }

    /// Waits up to a second for every thread of the job to be gone, then
    /// makes sure none comes back for half a second more.
    static func expectGoneWithinASecond(_ jobID: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let deadline = Date().addingTimeInterval(1)
        while Date() < deadline && !AgentWorld.threads(ofJob: jobID).isEmpty { usleep(20_000) }
        let left = AgentWorld.survivors(ofJob: jobID, during: 0.5)
        #expect(left.isEmpty, "threads \(left) of \(jobID) outlived the agent", sourceLocation: sourceLocation)
        for thread in left { kill(Int32(thread.split(separator: "/")[0]) ?? 0, SIGKILL) }
    }
}
