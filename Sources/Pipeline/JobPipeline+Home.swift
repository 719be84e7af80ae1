import AgentSystem
import Launch

/// `~<run user>` leads where `HOME` does. The job's `HOME` is its work
/// directory, but some tools ask the password database instead (`ssh` for
/// `~/.ssh`, Ansible expanding `~runner` for its temporary and `async`
/// folders), and the run user's home there (`/nonexistent`) cannot be
/// written. What the agent can do depends on the containment.
extension JobPipeline {
    /// What ``prepareHome(for:)`` set up, undone by ``removeHome(_:)`` once
    /// the job ran.
    struct JobHome {
        /// Shown to the job as `/etc/passwd` (a PID namespace).
        var passwordFile: String?
        /// A symlink to the work directory at the run user's home (the container's init).
        var link: String?
    }

    /// In a PID namespace: writes the job's view of `/etc/passwd`
    /// (``PasswordView``) beside the work directories, for the init to
    /// bind-mount read-only over the real one. As a container's PID 1, when
    /// the run user's home is a free name directly in `work.dir` (the runner
    /// image's `/workspace/home`): makes it a symlink to the job's work
    /// directory (one job per container, so no other job needs it). Nothing
    /// otherwise; a failure only costs the tools their home, with a warning.
    func prepareHome(for plan: JobPlan) -> JobHome {
        switch plan.sandbox.containment {
        case .pidNamespace: return JobHome(passwordFile: writePasswordView(for: plan))
        case .containerInit: return JobHome(link: linkHome(for: plan))
        case .processWalk, .processGroup: return JobHome()
        }
    }

    /// Removes what ``prepareHome(for:)`` made (the job has started or ended:
    /// the mount keeps the view; the link is needed while the job runs).
    func removeHome(_ home: JobHome) {
        if let file = home.passwordFile { try? FileSystem.removeFile(file) }
        if let link = home.link { try? FileSystem.removeFile(link) }
    }

    private func writePasswordView(for plan: JobPlan) -> String? {
        guard let real = try? FileSystem.readFile("/etc/passwd"),
            let view = PasswordView.withHome(
                plan.workDirectory, forUID: plan.user.uid, in: String(decoding: real, as: UTF8.self))
        else { return nil }
        let path = Path.join(configuration.workDirectory, ".\(plan.job.jobID).passwd")
        do {
            try FileSystem.writeAtomically(Array(view.utf8), to: path, mode: 0o644, durability: .none)
        } catch {
            AgentLog.warning(
                "The job keeps the real /etc/passwd (its run user's home there is not its work directory): \(error).")
            return nil
        }
        return path
    }

    private func linkHome(for plan: JobPlan) -> String? {
        guard let home = plan.user.home, home.hasPrefix("/"),
            let workRoot = try? FileSystem.realPath(configuration.workDirectory),
            Path.parent(of: home) == workRoot, Path.lastComponent(of: home) != plan.job.jobID
        else { return nil }
        if let status = try? FileSystem.linkStatus(home) {
            // A link left by an agent that was killed is replaced; anything else is the operator's.
            guard status.kind == .symbolicLink, (try? FileSystem.removeFile(home)) != nil else { return nil }
        }
        do { try FileSystem.makeSymbolicLink(plan.job.jobID, at: home) } catch {
            AgentLog.warning("Cannot link the run user's home \(home) to the job's work directory: \(error).")
            return nil
        }
        return home
    }
}
