import AgentSystem
import ConfigKeys

/// Gives a job's output folder to `output.owner`, so that the host side
/// of a mounted volume can read and remove what the agent (often root)
/// wrote.
///
/// ```swift
/// OutputOwnership.give("/output/job-1", to: (1000, 1000))   // nil, or why not
/// ```
enum OutputOwnership {
    /// Changes the owner of `path` and, when `recursive`, of everything
    /// under it (the job's folder holds `attempts/<n>/` and `duplicates/`).
    /// Symlinks are not followed. Returns a sentence on failure.
    static func give(_ path: String, to owner: (uid: UInt32, gid: UInt32), recursive: Bool = true) -> String? {
        do throws(SystemError) {
            try FileSystem.changeOwner(path, uid: owner.uid, gid: owner.gid)
            if recursive && isRealDirectory(path) {
                for name in try FileSystem.directoryEntries(path) {
                    if let failure = give(Path.join(path, name), to: owner) { return failure }
                }
            }
        } catch {
            return "Cannot give the output folder to \(ConfigKey.outputOwner) \(owner.uid):\(owner.gid): \(error)."
        }
        return nil
    }

    /// A directory, not a symlink to one.
    private static func isRealDirectory(_ path: String) -> Bool {
        (try? FileSystem.linkStatus(path))?.kind == .directory
    }
}
