import AgentSystem
import Launch
import OutputCapture
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension SupervisorTests {
    @Suite struct Stopping {
        @Test func aJobPastItsTimeoutIsStopped() throws {
            let plan = LaunchPlan(
                executable: "/bin/sleep", arguments: ["sleep", "600"], environment: [:],
                workingDirectory: "/", timeout: .milliseconds(300), killGrace: .seconds(20))
            let outcome = try Supervisor.run(plan, output: CollectingSink())
            #expect(outcome.timedOut)
            #expect(!outcome.cancelled)
            #expect(outcome.termination == .signaled(SIGTERM))
            #expect(outcome.duration >= .milliseconds(300) && outcome.duration < .seconds(20))
        }

        @Test func aJobIgnoringSigtermIsKilledAfterTheGrace() throws {
            let plan = shell(
                "trap '' TERM; echo ready; while :; do sleep 0.1; done",
                timeout: .seconds(2), killGrace: .seconds(1))
            let sink = CollectingSink()
            let outcome = try Supervisor.run(plan, output: sink)
            #expect(sink.text(.stdout) == "ready\n")
            #expect(outcome.timedOut)
            #expect(outcome.termination == .signaled(SIGKILL))
            #expect(outcome.duration >= .seconds(3))
        }

        @Test func backgroundJobsDieWithTheJob() throws {
            let scratch = try Scratch()
            let pidFile = "\(scratch.path)/pid"
            let outcome = try Supervisor.run(
                shell(#"sleep 600 & echo $! > "$1"; exit 4"#, [pidFile]), output: CollectingSink())
            #expect(outcome.termination == .exited(4))
            #expect(!outcome.timedOut)
            let text = String(decoding: try FileSystem.readFile(pidFile), as: UTF8.self)
            let pid = try #require(pid_t(text.split(separator: "\n").first ?? ""))
            // Killed and reaped: not even a zombie is left.
            #expect(!processExists(pid))
            #expect(outcome.duration < .seconds(30))
        }

        @Test func anEscapedDaemonDoesNotHoldTheRunForever() throws {
            // A grandchild in its own session keeps stdout open: the run ends
            // after the drain limit anyway.
            let scratch = try Scratch()
            let pidFile = "\(scratch.path)/pid"
            let daemon =
                #"setsid sh -c 'echo $$ > "$1"; exec sleep 600' sh "$1" & "#
                + #"while [ ! -s "$1" ]; do sleep 0.05; done; exit 0"#
            let started = ContinuousClock.now
            let outcome = try Supervisor.run(shell(daemon, [pidFile]), output: CollectingSink())
            let elapsed = ContinuousClock.now - started
            #expect(outcome.termination == .exited(0))
            // It waited for the pipes for the drain limit (2 s), not forever.
            #expect(elapsed >= .seconds(2) && elapsed < .seconds(30))
            let text = String(decoding: try FileSystem.readFile(pidFile), as: UTF8.self)
            if let pid = pid_t(text.split(separator: "\n").first ?? "") {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
            }
        }

        /// While a kill grace runs out (after a timeout, or for leftovers of
        /// a job whose main process exited), the watch sleeps: it used to
        /// poll with a zero timeout for the whole grace.
        @Test func theWatchSleepsWhileTheGraceRunsOut() async {
            await #expect(processExitsWith: .success) {
                func cpuTime() -> Duration {
                    var spec = timespec()
                    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
                    return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
                }
                Supervisor.adoptOrphans()
                var timedOut = shell(
                    "trap '' TERM; while :; do sleep 0.1; done", timeout: .milliseconds(300), killGrace: .seconds(2))
                timedOut.containment = .processGroup
                var leftovers = shell(
                    "(trap '' TERM; exec sleep 600) </dev/null >/dev/null 2>&1 & sleep 0.3; exit 0",
                    killGrace: .seconds(2))
                leftovers.containment = .processWalk
                for (index, plan) in [timedOut, leftovers].enumerated() {
                    let before = cpuTime()
                    _ = try Supervisor.run(plan, output: CollectingSink())
                    // A spinning watch burns most of the 2 s grace.
                    guard cpuTime() - before < .milliseconds(300) else { exit(Int32(20 + index)) }
                }
                exit(0)
            }
        }

        @Test func aSignalToTheAgentCancelsTheJob() async {
            await #expect(processExitsWith: .success) {
                try AgentSignals.install()
                guard AgentSignals.received == nil else { exit(10) }
                let sink = CollectingSink()
                // Once the job is surely running, the agent is told to stop.
                sink.onFirstChunk = { kill(getpid(), SIGTERM) }
                let plan = shell("echo started; exec sleep 600", timeout: .seconds(50), killGrace: .seconds(20))
                let outcome = try Supervisor.run(plan, output: sink)
                guard outcome.cancelled else { exit(11) }
                guard !outcome.timedOut else { exit(12) }
                guard outcome.termination == .signaled(SIGTERM) else { exit(13) }
                guard AgentSignals.received == SIGTERM else { exit(14) }
                exit(0)
            }
        }
    }
}
