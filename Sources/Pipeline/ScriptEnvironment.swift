/// Builds the script's environment from scratch: nothing of the agent's
/// leaks in except the names `env.passthrough` lists.
package enum ScriptEnvironment {
    /// The variables every script gets.
    package struct Job: Sendable, Equatable {
        package var jobID: String
        package var scriptID: String
        package var commit: String
        package var workDirectory: String
        package var artifactsDirectory: String
        package var parametersFile: String
        /// The job's private temporary directory.
        package var temporaryDirectory: String
        package var path: String
        /// The commit's committer time (`SOURCE_DATE_EPOCH`), when known.
        package var sourceDateEpoch: Int64?

        package init(
            jobID: String, scriptID: String, commit: String, workDirectory: String,
            artifactsDirectory: String, parametersFile: String, temporaryDirectory: String, path: String,
            sourceDateEpoch: Int64? = nil
        ) {
            self.sourceDateEpoch = sourceDateEpoch
            self.temporaryDirectory = temporaryDirectory
            self.jobID = jobID
            self.scriptID = scriptID
            self.commit = commit
            self.workDirectory = workDirectory
            self.artifactsDirectory = artifactsDirectory
            self.parametersFile = parametersFile
            self.path = path
        }
    }

    /// `TMPDIR` is private to the job (the only temporary directory its
    /// sandbox lets it write). `HOME` is the job's work directory: the run user's home may not exist
    /// in a container, and must not be shared between jobs.
    package static func build(
        for job: Job, agentEnvironment: [String: String], passthrough: [String]
    ) -> [String: String] {
        var environment: [String: String] = [:]
        for name in passthrough {
            if let value = agentEnvironment[name] { environment[name] = value }
        }
        environment["PATH"] = job.path
        environment["HOME"] = job.workDirectory
        environment["TMPDIR"] = job.temporaryDirectory
        environment["LANG"] = agentEnvironment["LANG"] ?? "C.UTF-8"
        environment["JOB_ID"] = job.jobID
        environment["SCRIPT_ID"] = job.scriptID
        environment["SF_COMMIT"] = job.commit
        environment["SF_WORK_DIR"] = job.workDirectory
        environment["SF_ARTIFACTS_DIR"] = job.artifactsDirectory
        environment["SF_PARAMETERS_FILE"] = job.parametersFile
        // The reproducible-builds convention: tools that stamp times use this one.
        if let epoch = job.sourceDateEpoch { environment["SOURCE_DATE_EPOCH"] = String(epoch) }
        return environment
    }
}
