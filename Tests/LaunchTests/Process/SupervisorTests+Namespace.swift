import AgentSystem
import Foundation
import Launch
import OutputCapture
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension SupervisorTests {
    /// ``Containment/pidNamespace``: the job runs under an init of the
    /// agent's in a PID namespace of its own, which reports the program's
    /// exact end and takes every other process of the job with it.
    @Suite struct Namespace {
        func contained(_ plan: LaunchPlan) -> LaunchPlan {
            var plan = plan
            plan.containment = .pidNamespace
            return plan
        }

        @Test(arguments: [Termination.exited(0), .exited(3), .signaled(SIGSEGV)])
        func theProgramsEndIsReportedExactly(end: Termination) throws {
            let command =
                switch end {
                case .exited(let code): "exit \(code)"
                case .signaled(let signal): "kill -\(signal) $$"
                }
            let outcome = try Supervisor.run(contained(shell(command)), output: CollectingSink())
            #expect(outcome.termination == end)
            #expect(!outcome.timedOut && !outcome.cancelled)
        }

        @Test func theJobSeesOnlyItsOwnProcessesAsTheInitsChild() throws {
            let sink = CollectingSink()
            let outcome = try Supervisor.run(
                contained(shell(#"echo "$$ $PPID"; set -- /proc/[0-9]*; echo "$#""#)), output: sink)
            #expect(outcome.termination == .exited(0))
            // The shell is pid 2, the init's child; /proc, listed by the shell itself
            // (no child of its own that may or may not exist yet), shows the init and the shell.
            #expect(sink.text(.stdout) == "2 1\n2\n", "\(sink.text(.stdout))")
        }

        @Test func aStubbornDaemonIsGoneWhenTheRunReturns() throws {
            let marker = "sf-ns-daemon-\(UUID().uuidString.prefix(8))"
            let daemon =
                #"setsid sh -c 'trap "" TERM; exec -a "$1" sleep 600' sh "$1" </dev/null >/dev/null 2>&1 & exit 0"#
            let started = ContinuousClock.now
            let outcome = try Supervisor.run(
                contained(shell(daemon, [marker], killGrace: .milliseconds(500))), output: CollectingSink())
            #expect(outcome.termination == .exited(0))
            #expect(Self.processes(named: marker).isEmpty, "the daemon outlived the run")
            #expect(ContinuousClock.now - started < .seconds(30))
        }

        @Test func aJobPastItsTimeoutIsStoppedWithSIGTERMThroughTheInit() throws {
            let outcome = try Supervisor.run(
                contained(shell("exec sleep 600", timeout: .milliseconds(300), killGrace: .seconds(20))),
                output: CollectingSink())
            #expect(outcome.timedOut)
            #expect(outcome.termination == .signaled(SIGTERM))
        }

        @Test func aProgramIgnoringSIGTERMDiesWithTheNamespaceAfterTheGrace() throws {
            let outcome = try Supervisor.run(
                contained(
                    shell(
                        "trap '' TERM; while :; do sleep 0.1; done", timeout: .milliseconds(300),
                        killGrace: .milliseconds(500))),
                output: CollectingSink())
            #expect(outcome.timedOut)
            #expect(outcome.termination == .signaled(SIGKILL))
        }

        /// Pids of processes whose argv[0] is `name`.
        static func processes(named name: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { pid in
                guard Int32(pid) != nil, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                    return false
                }
                return data.split(separator: 0).first.map { String(decoding: $0, as: UTF8.self) } == name
            }
        }
    }
}
