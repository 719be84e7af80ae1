import AgentSystem
import Launch
import OutputCapture
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// An `OutputSink` that keeps everything, and can act on the first chunk.
final class CollectingSink: OutputSink {
    var bytes: [OutputStreamKind: [UInt8]] = [.stdout: [], .stderr: []]
    var chunks = 0
    var onFirstChunk: (() -> Void)?

    func write(_ chunk: UnsafeRawBufferPointer, to stream: OutputStreamKind) {
        bytes[stream, default: []].append(contentsOf: chunk)
        chunks += 1
        if chunks == 1, let action = onFirstChunk { action() }
    }

    func text(_ stream: OutputStreamKind) -> String {
        String(decoding: bytes[stream, default: []], as: UTF8.self)
    }
}

/// A private temporary directory, removed when the value goes away.
struct Scratch {
    private let directory: TemporaryDirectory
    var path: String { directory.path }

    init() throws {
        directory = try TemporaryDirectory("sf-launch")
    }

    /// Writes an executable script and returns its path.
    func script(_ name: String, _ text: String) throws -> String {
        let file = "\(path)/\(name)"
        try FileSystem.writeAtomically(Array(text.utf8), to: file, mode: 0o755)
        return file
    }
}

/// A plan for `/bin/sh -c <command>` with a small environment.
func shell(
    _ command: String, _ arguments: [String] = [], timeout: Duration = .seconds(50), killGrace: Duration = .seconds(5)
) -> LaunchPlan {
    LaunchPlan(
        executable: "/bin/sh",
        arguments: ["sh", "-c", command, "sh"] + arguments,
        environment: ["PATH": "/usr/bin:/bin"],
        workingDirectory: "/",
        timeout: timeout,
        killGrace: killGrace
    )
}

/// Whether a process with `pid` exists (zombies included).
func processExists(_ pid: pid_t) -> Bool {
    kill(pid, 0) == 0 || errno != ESRCH
}
