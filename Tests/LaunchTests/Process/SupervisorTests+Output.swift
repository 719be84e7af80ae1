import AgentSystem
import Launch
import OutputCapture
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension SupervisorTests {
    @Suite struct Output {
        /// The same pattern the Python child writes.
        private func pattern(_ count: Int, seed: Int) -> [UInt8] {
            (0..<count).map { UInt8(($0 * seed + seed) % 251) }
        }

        @Test func largeInterleavedOutputArrivesByteExactOnEachStream() throws {
            let scratch = try Scratch()
            let script = try scratch.script(
                "chatty.py",
                """
                import sys
                def pattern(n, seed): return bytes((i * seed + seed) % 251 for i in range(n))
                out, err = pattern(5_000_000, 7), pattern(3_000_001, 13)
                sizes = [1, 100, 4096, 65537, 10000, 3]
                o = e = t = 0
                while o < len(out) or e < len(err):
                    n = sizes[t % len(sizes)]; t += 1
                    sys.stdout.buffer.write(out[o:o + n]); sys.stdout.buffer.flush(); o += n
                    sys.stderr.buffer.write(err[e:e + n]); sys.stderr.buffer.flush(); e += n
                """)
            let plan = LaunchPlan(
                executable: "/usr/bin/python3", arguments: ["python3", script],
                environment: [:], workingDirectory: scratch.path, timeout: .seconds(50))
            let sink = CollectingSink()
            let outcome = try Supervisor.run(plan, output: sink)
            #expect(outcome.termination == .exited(0))
            #expect(sink.bytes[.stdout] == pattern(5_000_000, seed: 7))
            #expect(sink.bytes[.stderr] == pattern(3_000_001, seed: 13))
        }

        @Test func outputIsDeliveredWhileTheChildRuns() throws {
            let scratch = try Scratch()
            let marker = "\(scratch.path)/marker"
            // The child cannot finish before the test has seen its first line.
            let plan = shell(
                #"echo first; while [ ! -e "$1" ]; do sleep 0.05; done; echo second"#, [marker],
                timeout: .seconds(40))
            let sink = CollectingSink()
            var firstChunkAt: ContinuousClock.Instant?
            sink.onFirstChunk = {
                firstChunkAt = ContinuousClock.now
                _ = try? FileSystem.writeAtomically([], to: marker)
            }
            let started = ContinuousClock.now
            let outcome = try Supervisor.run(plan, output: sink)
            let finished = ContinuousClock.now
            #expect(outcome.termination == .exited(0))
            #expect(!outcome.timedOut)
            #expect(sink.text(.stdout) == "first\nsecond\n")
            let seen = try #require(firstChunkAt)
            #expect(started < seen && seen < finished)
        }

        @Test func stdinIsDevNullAndOnlyThreeDescriptorsAreOpen() throws {
            // Extra descriptors without close-on-exec must not leak.
            let leaked = (0..<4).map { _ in open("/dev/null", O_RDONLY) }
            defer { for fd in leaked { close(fd) } }
            let probe = """
                import os, sys
                def is_open(fd):
                    try: os.fstat(fd); return True
                    except OSError: return False
                print(" ".join(str(fd) for fd in range(4096) if is_open(fd)))
                print(os.readlink("/proc/self/fd/0"))
                print(repr(sys.stdin.buffer.read()))
                """
            let plan = LaunchPlan(
                executable: "/usr/bin/python3", arguments: ["python3", "-c", probe],
                environment: [:], workingDirectory: "/", timeout: .seconds(50))
            let sink = CollectingSink()
            let outcome = try Supervisor.run(plan, output: sink)
            #expect(outcome.termination == .exited(0))
            #expect(sink.text(.stdout) == "0 1 2\n/dev/null\nb''\n")
            #expect(sink.text(.stderr) == "")
        }
    }
}
