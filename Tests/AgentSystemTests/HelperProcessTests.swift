import Foundation
import TestSupport
import Testing

@testable import AgentSystem

/// `HelperProcess.run`: argv, minimal environment, stdin from a file,
/// stdout and stderr apart, killed at its timeout.
// Three minutes, as the other suites: on a loaded 2-core machine the whole test run
// can keep a test waiting for a thread well past a minute (seen: 106 s).
@Suite(.timeLimit(.minutes(10))) struct HelperProcessTests {
    @Test func outputsAreSeparateAndTheEnvironmentIsMinimal() throws {
        let outcome = try HelperProcess.run(
            "/bin/sh", arguments: ["-c", "env | sort; echo oops >&2; exit 3", "sh"], timeout: .seconds(20))
        #expect(outcome.exitCode == 3)
        #expect(!outcome.timedOut)
        let names = outcome.stdoutText.split(separator: "\n").map { $0.split(separator: "=")[0] }
        #expect(Set(names).isSubset(of: ["LC_ALL", "PATH", "HOME", "PWD", "SHLVL", "_"]), "\(names)")
        #expect(outcome.stdoutText.contains("HOME=/nonexistent"))
        #expect(outcome.stderrText == "oops")
    }

    @Test func stdinComesFromTheFileAndArgumentsAreNotSplit() throws {
        let scratch = try TemporaryDirectory("sf-helper")
        let file = scratch.path + "/stdin"
        try Data("line one\nline two\n".utf8).write(to: URL(fileURLWithPath: file))
        let outcome = try HelperProcess.run(
            "/bin/sh", arguments: ["-c", "wc -l; printf '[%s]' \"$1\"", "sh", "a b; echo no"], stdinFile: file,
            timeout: .seconds(20))
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdoutText == "2\n[a b; echo no]")
    }

    @Test func aHelperThatOutlivesItsTimeoutIsKilled() throws {
        let start = ContinuousClock.now
        // Closes its output first, so only the wait can notice it still runs.
        let outcome = try HelperProcess.run(
            "/bin/sh", arguments: ["-c", "exec >&- 2>&-; sleep 60"], timeout: .milliseconds(500))
        #expect(outcome.timedOut)
        #expect(outcome.exitCode == nil, "killed by a signal")
        #expect(ContinuousClock.now - start < .seconds(20))
    }

    @Test func aMissingProgramIsAnError() {
        #expect(throws: SystemError.self) {
            try HelperProcess.run("/nonexistent/tool", arguments: [], timeout: .seconds(5))
        }
    }
}
