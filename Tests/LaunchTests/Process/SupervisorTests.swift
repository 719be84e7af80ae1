import AgentSystem
import Launch
import OutputCapture
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Everything that launches processes runs one test at a time: runs reap
/// orphans, and some tests install signal handlers.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct SupervisorTests {
    @Test(arguments: [Int32(0), 3, 255])
    func exitStatusIsExact(code: Int32) throws {
        let outcome = try Supervisor.run(shell("exit \(code)"), output: CollectingSink())
        #expect(outcome.termination == .exited(code))
        #expect(!outcome.timedOut)
        #expect(!outcome.cancelled)
    }

    @Test func deathBySignalIsReported() throws {
        let killed = try Supervisor.run(shell("kill -KILL $$"), output: CollectingSink())
        #expect(killed.termination == .signaled(SIGKILL))
        let crash = LaunchPlan(
            executable: "/usr/bin/python3",
            arguments: ["python3", "-c", "import ctypes; ctypes.string_at(0)"],
            environment: [:], workingDirectory: "/", timeout: .seconds(50))
        let crashed = try Supervisor.run(crash, output: CollectingSink())
        #expect(crashed.termination == .signaled(SIGSEGV))
    }

    @Test func environmentIsExactlyThePlans() throws {
        let plan = LaunchPlan(
            executable: "/usr/bin/env", arguments: ["env"],
            environment: ["A": "1", "SPACED": "two words", "EMPTY": ""],
            workingDirectory: "/", timeout: .seconds(50))
        let sink = CollectingSink()
        let outcome = try Supervisor.run(plan, output: sink)
        #expect(outcome.termination == .exited(0))
        let lines = sink.text(.stdout).split(separator: "\n").map(String.init).sorted()
        #expect(lines == ["A=1", "EMPTY=", "SPACED=two words"])
    }

    @Test func workingDirectoryIsThePlans() throws {
        var plan = shell("pwd")
        plan.workingDirectory = "/usr/bin"
        let sink = CollectingSink()
        _ = try Supervisor.run(plan, output: sink)
        #expect(sink.text(.stdout) == "/usr/bin\n")
    }
}
