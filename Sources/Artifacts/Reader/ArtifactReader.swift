import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// The child process that reads a job's artifacts for the archiver, and
/// the agent's end of its pipe.
///
/// The reader is forked from the agent without exec. It keeps no
/// descriptor of the agent's but its pipe, switches to ``Identity`` (the
/// job's user, when the agent is root), becomes non-dumpable, sets
/// no_new_privs and enters the job's Landlock domain; then it opens the
/// artifacts directory (never following its last component) and walks it
/// by descriptors: every directory and file is opened from its parent's
/// descriptor, one name at a time, with `openat2(RESOLVE_BENEATH |
/// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)`, so that no symlink is
/// followed anywhere, even one swapped in while the walk runs; what it
/// finds is `fstat`ed through the opened descriptor. The agent only writes
/// the archive from the frames. A race the reader loses exposes only what
/// the job itself could read.
///
/// The archiver starts and owns it; `deinit` kills the child if it is still
/// running and reaps it (by its pid, never `waitpid(-1)`).
package final class ArtifactReader {
    /// Whose privileges the reader runs with.
    ///
    /// ```swift
    /// let runner = ArtifactReader.Identity(uid: 10001, gid: 10001, groups: [10001])
    /// try archiver.archive(directory: artifacts, into: output, readingAs: runner)
    /// ```
    package struct Identity: Sendable, Equatable {
        package var uid: UInt32
        package var gid: UInt32
        /// Exactly the supplementary groups the reader gets.
        package var groups: [UInt32]

        package init(uid: UInt32, gid: UInt32, groups: [UInt32]) {
            self.uid = uid
            self.gid = gid
            self.groups = groups
        }
    }

    /// The directory read, for messages.
    let root: String
    private let process: sf_reader_process
    private let decoder: FrameDecoder
    /// Who reads, for messages ("uid 10001").
    private let readerName: String
    private var reaped = false

    /// Starts the reader on `root`.
    ///
    /// - Parameters:
    ///   - identity: the user to switch to (the agent must be root unless it
    ///     is the agent's own uid); `nil` reads as the agent.
    ///   - landlockRuleset: a Landlock ruleset descriptor (the caller's; it
    ///     stays open) the reader restricts itself with.
    ///   - excluded: `(device, inode)` of files never sent (the archive and
    ///     manifest being written, when they lie inside `root`).
    ///   - followsLinksForTesting: TESTS ONLY. Opens with plain `openat`,
    ///     without `O_NOFOLLOW` or `RESOLVE_*`, so that a test can show that
    ///     the other defence (the job's user) holds alone.
    init(
        root: String, identity: Identity?, landlockRuleset: Int32?,
        excluding excluded: [(device: UInt64, inode: UInt64)],
        followsLinksForTesting: Bool = false
    ) throws(ArtifactError) {
        let switchUser: Bool
        if let identity, !ProcessIdentity.isRoot {
            guard identity.uid == ProcessIdentity.effectiveUserID else {
                throw ArtifactError(
                    code: .readerFailed, path: root,
                    reason:
                        "only root can read the artifacts as uid \(identity.uid); this agent runs as uid \(ProcessIdentity.effectiveUserID)"
                )
            }
            switchUser = false
        } else {
            switchUser = identity != nil
        }
        let ids = excluded.flatMap { [$0.device, $0.inode] }
        let groups = identity?.groups ?? []
        var started = sf_reader_process()
        let status = root.withCString { path in
            ids.withUnsafeBufferPointer { ids in
                groups.withUnsafeBufferPointer { groups in
                    var request = sf_reader_request()
                    request.root = path
                    request.set_user = switchUser ? 1 : 0
                    request.uid = identity?.uid ?? 0
                    request.gid = identity?.gid ?? 0
                    request.ngroups = groups.count
                    request.groups = groups.baseAddress
                    request.landlock_ruleset_fd = landlockRuleset ?? -1
                    request.nexcluded = excluded.count
                    request.excluded = ids.baseAddress
                    request.follow_links_for_testing = followsLinksForTesting ? 1 : 0
                    return sf_reader_start(&request, &started)
                }
            }
        }
        guard status == 0 else {
            throw .lastSystemError(.readerFailed, path: root, operation: "cannot start the reader")
        }
        self.root = root
        process = started
        decoder = FrameDecoder(fileDescriptor: started.fd)
        readerName = "uid \(identity?.uid ?? ProcessIdentity.effectiveUserID)"
    }

    deinit {
        if !reaped {
            system_kill(process.pid, SIGKILL)
            _ = reap()
        }
        system_close(process.fd)
        sf_reader_release(process.control)
    }

    /// The next frame.
    func next() throws(ArtifactError) -> ReaderFrame {
        do throws(FrameDecoder.Failure) {
            return try decoder.next()
        } catch {
            throw failure(error)
        }
    }

    /// Hands the next `count` bytes (a file's data) to `body`, block by
    /// block; a large file's blocks are read into the memory `window`
    /// returns, when it returns some (``FrameDecoder/data(_:into:_:)``).
    func data(
        _ count: Int, into window: () -> UnsafeMutableRawBufferPointer? = { nil },
        _ body: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void
    ) throws(ArtifactError) {
        do throws(FrameDecoder.StreamError<ArtifactError>) {
            try decoder.data(count, into: window, body)
        } catch {
            switch error {
            case .stream(let failure): throw self.failure(failure)
            case .body(let failure): throw failure
            }
        }
    }

    /// From now on files come without their data: the archiver is over a
    /// limit and only counts.
    func withholdData() {
        sf_reader_withhold_data(process.control)
    }

    /// Reaps the reader after its end frame; throws what the frame or the
    /// exit says went wrong, naming `directory` (the path of the directory
    /// the walk was in, relative to the root) where the frame names an entry.
    func finish(_ end: ReaderFrame, directory: String?) throws(ArtifactError) {
        let status = reap()
        if end.error != 0 { throw ReaderFailure.error(for: end, root: root, directory: directory, reader: readerName) }
        guard status == 0 else {
            throw ArtifactError(
                code: .readerFailed, path: root,
                reason: "the reader ended with \(Self.describe(status)) after a complete walk")
        }
    }

    /// The error for a stream that ended early: the child's fate, once reaped.
    private func failure(_ failure: FrameDecoder.Failure) -> ArtifactError {
        switch failure {
        case .readFailed(let number):
            return ArtifactError(
                code: .readerFailed, path: root, reason: "cannot read from the reader: \(ReaderFrame.text(of: number))",
                errno: number)
        case .malformed:
            return ArtifactError(
                code: .readerFailed, path: root, reason: "the reader sent a frame the agent does not know")
        case .endOfStream:
            system_kill(process.pid, SIGKILL)
            let status = reap()
            return ArtifactError(
                code: .readerFailed, path: root,
                reason: "the reader stopped before the end of the walk (\(Self.describe(status)))")
        }
    }

    /// Waits for the child (by pid only) and returns its wait status.
    private func reap() -> Int32 {
        guard !reaped else { return 0 }
        let status = HelperProcess.reap(process.pid)
        reaped = true
        return status
    }

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exit status \((status >> 8) & 0xff)" }
        return "signal \(signal)"
    }
}
