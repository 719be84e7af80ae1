import AgentSystem
import CAgentSupport
import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// The descriptors of one launch: `/dev/null` for stdin and a pipe per
/// output stream. The agent keeps the non-blocking read ends; the child
/// gets the write ends. Whatever is still open is closed on deinit.
///
/// Each pipe is widened to ``pipeBytes`` where the kernel allows it (the
/// default 64 KiB makes a fast writer and the agent take turns 16 times as
/// often); where it does not, the default stays.
final class JobPipes {
    /// The pipe buffer asked for, and the most the agent reads at once.
    static let pipeBytes = 1 << 20

    private(set) var devNull: Int32 = -1
    private var readEnds: [OutputStreamKind: Int32] = [:]
    private(set) var writeEnds: [OutputStreamKind: Int32] = [:]

    init(executable: String) throws(LaunchError) {
        devNull = system_open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard devNull >= 0 else {
            throw LaunchError(
                .setupFailed, cannot: "open /dev/null to run \(executable)", step: "open", errno: currentErrno())
        }
        for stream in OutputStreamKind.allCases {
            var ends: [Int32] = [-1, -1]
            guard sf_pipe_cloexec(&ends) == 0 else {
                throw LaunchError(
                    .setupFailed, cannot: "create the \(stream.rawValue) pipe to run \(executable)", step: "pipe2",
                    errno: currentErrno())
            }
            readEnds[stream] = ends[0]
            writeEnds[stream] = ends[1]
            _ = sf_pipe_set_size(ends[0], Int32(Self.pipeBytes))
            let flags = system_fcntl(ends[0], F_GETFL)
            guard flags >= 0, system_fcntl(ends[0], F_SETFL, flags | O_NONBLOCK) == 0 else {
                throw LaunchError(
                    .setupFailed, cannot: "make the \(stream.rawValue) pipe non-blocking to run \(executable)",
                    step: "fcntl", errno: currentErrno())
            }
        }
    }

    deinit {
        closeChildEnds()
        for fd in readEnds.values { system_close(fd) }
    }

    /// The read end of `stream`, or nil once it reached EOF and was closed.
    func readEnd(_ stream: OutputStreamKind) -> Int32? { readEnds[stream] }

    /// Whether any read end is still open.
    var anyOpen: Bool { !readEnds.isEmpty }

    /// Closes the read end of `stream`.
    func closeReadEnd(_ stream: OutputStreamKind) {
        if let fd = readEnds.removeValue(forKey: stream) { system_close(fd) }
    }

    /// Closes the child's ends in the agent (after the spawn), so EOF comes
    /// when the job and everything it started have closed theirs.
    func closeChildEnds() {
        for fd in writeEnds.values { system_close(fd) }
        writeEnds = [:]
        if devNull >= 0 { system_close(devNull) }
        devNull = -1
    }
}
