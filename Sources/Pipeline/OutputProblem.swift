import AgentSystem
import ConfigKeys
import Report

#if canImport(Glibc)
import Glibc
#endif

/// Why the agent cannot write in `output.dir`, said as its real cause — a
/// read-only file system, a folder the agent's uid may not write, a full
/// volume — rather than as the last system call that failed.
///
/// ```swift
/// OutputProblem.cause(of: SystemError(operation: "create directory", path: "/output/job-1", errno: EACCES),
///                     agent: (10001, 10001), folder: .init(path: "/output", uid: 0, gid: 0, mode: 0o755),
///                     outputDirectory: "/output")
/// // "permission denied: the agent runs as uid 10001 (gid 10001), and /output is owned by uid 0 (gid 0) with mode 0755; …"
/// ```
enum OutputProblem {
    /// The owner and mode of the folder the agent tried to write in.
    struct Folder: Equatable {
        var path: String
        var uid: UInt32
        var gid: UInt32
        var mode: UInt32
    }

    /// The cause, as a clause that names what to change. Pure: `folder` is
    /// the nearest existing folder on the failed path, when known.
    static func cause(
        of error: SystemError, agent: (uid: UInt32, gid: UInt32), folder: Folder?, outputDirectory: String
    ) -> String {
        let place = folder?.path ?? error.path ?? outputDirectory
        switch error.errno {
        case EROFS:
            return
                "\(place) is on a read-only file system; mount \(ConfigKey.outputDir) (\(outputDirectory)) read-write"
        case EACCES, EPERM:
            guard let folder else {
                return
                    "permission denied for uid \(agent.uid) on \(place); make \(ConfigKey.outputDir) (\(outputDirectory)) writable by uid \(agent.uid)"
            }
            return
                "permission denied: the agent runs as uid \(agent.uid) (gid \(agent.gid)), and \(folder.path) is owned by "
                + "uid \(folder.uid) (gid \(folder.gid)) with mode \(octal(folder.mode)); make \(ConfigKey.outputDir) (\(outputDirectory)) "
                + "writable by uid \(agent.uid) (chown it to \(agent.uid), or mount a volume that uid may write)"
        case ENOSPC:
            return "the file system of \(place) is full; free space on the output volume"
        case EDQUOT:
            return "uid \(agent.uid) has used up its quota on the file system of \(place); raise it or free space"
        default:
            return error.description
        }
    }

    /// A `output_error` for `what` (a sentence start naming the step) that
    /// failed with `error`, its cause looked up on disk.
    static func jobError(_ what: String, _ error: SystemError, outputDirectory: String) -> JobError {
        let folder = error.path.flatMap(nearestFolder)
        let cause = cause(
            of: error, agent: (ProcessIdentity.effectiveUserID, ProcessIdentity.effectiveGroupID), folder: folder,
            outputDirectory: outputDirectory)
        return JobError(.outputError, "\(what): \(cause).")
    }

    /// The nearest existing folder on `path` (itself if it is one), with its owner and mode.
    static func nearestFolder(_ path: String) -> Folder? {
        var current = path
        while true {
            if let status = try? FileSystem.status(current), status.kind == .directory {
                return Folder(path: current, uid: status.owner, gid: status.group, mode: status.permissions)
            }
            let parent = Path.parent(of: current)
            if parent == current || parent == "." { return nil }
            current = parent
        }
    }

    /// `0755`.
    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
