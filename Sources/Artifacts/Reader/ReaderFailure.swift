import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Turns the reader's failed end frame into an ``ArtifactError`` a user
/// can act on.
enum ReaderFailure {
    /// The error for `end` (an end frame with a non-zero error) of a walk of
    /// `root`; `directory` is where the walk was (relative to `root`), and
    /// `reader` says who read ("uid 10001").
    static func error(for end: ReaderFrame, root: String, directory: String?, reader: String) -> ArtifactError {
        let number = end.error
        let system = ReaderFrame.text(of: number)
        func failed(_ reason: String) -> ArtifactError {
            ArtifactError(code: .readerFailed, path: root, reason: reason, errno: number)
        }
        switch sf_reader_step(rawValue: end.reason) {
        case SF_READER_STEP_OPENAT2:
            return failed(
                "the kernel refused openat2 (\(system)); archiving needs Linux 5.6 or later, and a seccomp profile "
                    + "that allows openat2, to walk the artifacts without following a symbolic link. Nothing was archived"
            )
        case SF_READER_STEP_OPEN_ROOT:
            switch number {
            case ELOOP:
                return ArtifactError(
                    code: .notADirectory, path: root, reason: "it is a symbolic link, which is never followed")
            case ENOTDIR: return ArtifactError(code: .notADirectory, path: root, reason: "it is not a directory")
            default:
                return ArtifactError(
                    code: .unreadableArtifact, path: root, reason: "cannot open it as \(reader): \(system)",
                    errno: number)
            }
        case SF_READER_STEP_LIST_ROOT:
            return ArtifactError(
                code: .unreadableArtifact, path: root, reason: "cannot list it as \(reader): \(system)", errno: number)
        case SF_READER_STEP_TOO_DEEP:
            let name = String(decoding: end.name, as: UTF8.self)
            let path = [root, directory, name].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
            return ArtifactError(
                code: .unreadableArtifact, path: path,
                reason: "it is nested deeper than \(SF_READER_MAX_DEPTH) directories below the artifacts directory")
        case SF_READER_STEP_MEMORY:
            return failed("the reader ran out of memory listing a directory (\(system))")
        case SF_READER_STEP_SETGROUPS, SF_READER_STEP_SETRESGID, SF_READER_STEP_SETRESUID, SF_READER_STEP_VERIFY_IDS:
            return failed("the reader could not switch to \(reader) (\(step(end.reason))): \(system)")
        case SF_READER_STEP_LANDLOCK:
            return failed("the reader could not enter the job's Landlock domain: \(system)")
        default:
            return failed("the reader failed at \(step(end.reason)): \(system)")
        }
    }

    /// The name of a step of the reader's setup.
    static func step(_ reason: UInt32) -> String {
        switch sf_reader_step(rawValue: reason) {
        case SF_READER_STEP_SIGNALS: "resetting signals"
        case SF_READER_STEP_CLOSE_FDS: "close_range"
        case SF_READER_STEP_SETGROUPS: "setgroups"
        case SF_READER_STEP_SETRESGID: "setresgid"
        case SF_READER_STEP_SETRESUID: "setresuid"
        case SF_READER_STEP_VERIFY_IDS: "verifying its ids"
        case SF_READER_STEP_DUMPABLE: "prctl(PR_SET_DUMPABLE)"
        case SF_READER_STEP_NO_NEW_PRIVS: "prctl(PR_SET_NO_NEW_PRIVS)"
        case SF_READER_STEP_LANDLOCK: "landlock_restrict_self"
        case SF_READER_STEP_MEMORY: "mmap"
        default: "step \(reason)"
        }
    }
}
