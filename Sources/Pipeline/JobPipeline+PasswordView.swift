import AgentSystem
import Launch

extension JobPipeline {
    /// Writes the job's view of `/etc/passwd` (``PasswordView``: the run
    /// user's home is its work directory) beside the work directories, for
    /// the PID namespace's init to show in place of the real one; nil when
    /// the job runs without a mount namespace or there is nothing to change.
    /// The job never sees the file's path, only its content, read-only; the
    /// caller removes it once the job has started.
    func writePasswordView(for plan: JobPlan) -> String? {
        guard plan.sandbox.containment == .pidNamespace, let real = try? FileSystem.readFile("/etc/passwd"),
            let view = PasswordView.withHome(
                plan.workDirectory, forUID: plan.user.uid, in: String(decoding: real, as: UTF8.self))
        else { return nil }
        let path = Path.join(configuration.workDirectory, ".\(plan.job.jobID).passwd")
        do {
            try FileSystem.writeAtomically(Array(view.utf8), to: path, mode: 0o644)
        } catch {
            AgentLog.warning("The job keeps the real /etc/passwd (its run user's home there is not its work directory): \(error).")
            return nil
        }
        return path
    }
}
