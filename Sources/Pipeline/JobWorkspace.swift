import AgentSystem
import Launch
import Report
import Secrets

/// The job's private directories: `work.dir/<JOB_ID>` (the script's working
/// directory and `HOME`), its `artifacts` folder, its private temporary
/// directory `.tmp` (`TMPDIR`), and the parameters file.
struct JobWorkspace {
    let directory: String
    let artifactsDirectory: String
    let temporaryDirectory: String
    let parametersFile: String

    init(workRoot: String, jobID: String) {
        directory = Path.join(workRoot, jobID)
        artifactsDirectory = Path.join(directory, "artifacts")
        temporaryDirectory = Path.join(directory, ".tmp")
        parametersFile = Path.join(directory, "parameters.json")
    }

    /// Creates the directories afresh, owned by `owner` (mode 0700) when the
    /// agent switches user, and writes the parameters file (0444).
    func create(owner: RunUser?, parametersJSON: String) throws(JobError) {
        do {
            try FileSystem.makeDirectories(Path.parent(of: directory), mode: 0o755)
            try FileSystem.removeTree(directory)
            try FileSystem.makeDirectory(directory, mode: 0o700)
            try FileSystem.makeDirectory(artifactsDirectory, mode: 0o700)
            try FileSystem.makeDirectory(temporaryDirectory, mode: 0o700)
            if let owner {
                for path in [directory, artifactsDirectory, temporaryDirectory] {
                    try FileSystem.changeOwner(path, uid: owner.uid, gid: owner.gid)
                }
            }
            try FileSystem.writeAtomically(
                Array(parametersJSON.utf8), to: parametersFile, mode: 0o444, durability: .none)
        } catch {
            throw JobError(.outputError, "Cannot prepare the job's work directory: \(error).")
        }
    }

    /// Removes the work directory and the job's secrets folder, if any: the
    /// one cleanup of every path that began creating them. A work directory
    /// that stays (an agent without `CAP_FOWNER` meets a sticky folder the
    /// script made) is a warning; a secrets folder that stays is the job's
    /// failure (`output_error`), returned.
    func remove(secretsFolder: String?) -> JobError? {
        do throws(SystemError) { try FileSystem.removeTree(directory) } catch {
            AgentLog.warning("The job's work directory stays behind: \(error).")
        }
        guard let secretsFolder, let failure = SecretExposure.removeFiles(secretsFolder) else { return nil }
        return JobError(.outputError, failure.message)
    }
}
