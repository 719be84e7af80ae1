import AgentSystem
import OutputCapture
import TestSupport
import Testing

@testable import Launch

#if canImport(Glibc)
import Glibc
#endif

extension SupervisorTests {
    @Suite struct Sandbox {
        /// The value of a `/proc/self/status` field, whitespace-normalised.
        private func field(_ name: String, in status: String) -> String? {
            for line in status.split(separator: "\n") where line.hasPrefix("\(name):") {
                return line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(
                    separator: " ")
            }
            return nil
        }

        @Test(.requiresRoot) func theJobRunsAsItsUserWithOnlyItsGroups() throws {
            let plan = LaunchPlan(
                executable: "/bin/cat", arguments: ["cat", "/proc/self/status"], environment: [:],
                workingDirectory: "/", user: RunUser(uid: 10001, gid: 10001, groups: [10001]),
                timeout: .seconds(50))
            let sink = CollectingSink()
            let outcome = try Supervisor.run(plan, output: sink)
            #expect(outcome.termination == .exited(0))
            let status = sink.text(.stdout)
            #expect(field("Uid", in: status) == "10001 10001 10001 10001")
            #expect(field("Gid", in: status) == "10001 10001 10001 10001")
            #expect(field("Groups", in: status) == "10001")
            #expect(field("NoNewPrivs", in: status) == "1")
        }

        @Test(.requiresRoot) func withoutAUserTheJobKeepsTheAgentsIdentity() throws {
            let sink = CollectingSink()
            let plan = LaunchPlan(
                executable: "/bin/cat", arguments: ["cat", "/proc/self/status"], environment: [:],
                workingDirectory: "/", timeout: .seconds(50))
            _ = try Supervisor.run(plan, output: sink)
            #expect(field("Uid", in: sink.text(.stdout)) == "0 0 0 0")
            #expect(field("NoNewPrivs", in: sink.text(.stdout)) == "1")
        }

        @Test func aMissingExecutableNamesExecve() {
            let plan = LaunchPlan(
                executable: "/no/such/program", arguments: ["program"], environment: [:],
                workingDirectory: "/", timeout: .seconds(50))
            let error = #expect(throws: LaunchError.self) { try Supervisor.run(plan, output: CollectingSink()) }
            #expect(error?.code == .spawnFailed)
            #expect(error?.step == "execve")
            #expect(error?.errno == ENOENT)
            #expect(error?.description == "Cannot execute /no/such/program (execve): No such file or directory.")
        }

        @Test func aNonExecutableFileNamesExecve() throws {
            let scratch = try Scratch()
            let file = "\(scratch.path)/data.txt"
            try FileSystem.writeAtomically(Array("#!/bin/sh\n".utf8), to: file, mode: 0o644)
            let plan = LaunchPlan(
                executable: file, arguments: ["data"], environment: [:], workingDirectory: "/",
                timeout: .seconds(50))
            let error = #expect(throws: LaunchError.self) { try Supervisor.run(plan, output: CollectingSink()) }
            #expect(error?.step == "execve")
            #expect(error?.errno == EACCES)
            #expect(error?.description.contains(file) == true)
        }

        @Test func aMissingWorkingDirectoryNamesChdir() {
            var plan = shell("exit 0")
            plan.workingDirectory = "/no/such/dir"
            let error = #expect(throws: LaunchError.self) { try Supervisor.run(plan, output: CollectingSink()) }
            #expect(error?.step == "chdir")
            #expect(error?.errno == ENOENT)
            #expect(
                error?.description
                    == "Cannot change to directory /no/such/dir to run /bin/sh (chdir): No such file or directory.")
        }

        @Test func invalidPlansAreRefusedBeforeLaunch() {
            var relative = shell("exit 0")
            relative.executable = "sh"
            var noArguments = shell("exit 0")
            noArguments.arguments = []
            var badName = shell("exit 0")
            badName.environment = ["A=B": "1"]
            var nul = shell("exit 0")
            nul.arguments = ["sh", "-c", "a\u{0}b"]
            for plan in [relative, noArguments, badName, nul] {
                let error = #expect(throws: LaunchError.self) { try Supervisor.run(plan, output: CollectingSink()) }
                #expect(error?.code == .invalidPlan)
            }
        }

        /// `container_init` signals every process the agent may reach
        /// (`kill(-1, …)`), so only a container's PID 1 may ask for it. Only
        /// the plan's C copy is built here: without the check nothing runs,
        /// the test just fails.
        @Test func containerInitOutsidePIDOneIsRefused() {
            var plan = shell("exit 0")
            plan.containment = .containerInit
            let error = #expect(throws: LaunchError.self) { _ = try SpawnMemory(plan) }
            #expect(error?.code == .invalidPlan)
            #expect(error?.message.contains("PID 1") == true)
        }

        @Test(.requiresRoot) func aUserSwitchTheAgentMayNotMakeNamesTheStep() async {
            await #expect(processExitsWith: .success) {
                // An agent that is no longer root cannot become another user.
                guard setgroups(0, nil) == 0, setgid(10002) == 0,
                    setuid(10002) == 0
                else { exit(10) }
                let plan = LaunchPlan(
                    executable: "/bin/true", arguments: ["true"], environment: [:], workingDirectory: "/",
                    user: RunUser(uid: 10001, gid: 10001, groups: [10001]), timeout: .seconds(50))
                do throws(LaunchError) {
                    _ = try Supervisor.run(plan, output: CollectingSink())
                    exit(11)
                } catch {
                    guard error.step == "setgroups", error.errno == EPERM else { exit(12) }
                    guard
                        error.description
                            == "Cannot switch to user 10001:10001 to run /bin/true (setgroups): Operation not permitted."
                    else { exit(13) }
                    exit(0)
                }
            }
        }
    }
}
