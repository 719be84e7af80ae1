import CAgentSupport

extension LaunchError {
    /// The sentence for a failed `sf_spawn`: what could not be done, for
    /// which program, and the call that failed.
    static func spawn(_ failure: sf_spawn_failure, plan: LaunchPlan) -> LaunchError {
        let program = plan.executable
        let user = plan.user?.numericSpec ?? "?"
        let (action, step): (String, String) =
            switch sf_spawn_step(rawValue: UInt32(truncatingIfNeeded: failure.step)) {
            case SF_STEP_RESET_SIGNALS: ("reset signal handling to run \(program)", "sigaction")
            case SF_STEP_SETSID: ("start a new session to run \(program)", "setsid")
            case SF_STEP_MOVE_FDS: ("move descriptors to run \(program)", "fcntl")
            case SF_STEP_DUP2: ("set up stdin, stdout and stderr to run \(program)", "dup2")
            case SF_STEP_CLOSE_FDS: ("close inherited descriptors to run \(program)", "close_range")
            case SF_STEP_UNSHARE_NET: ("enter a network namespace of its own to run \(program)", "unshare CLONE_NEWNET")
            case SF_STEP_SETGROUPS: ("switch to user \(user) to run \(program)", "setgroups")
            case SF_STEP_SETRESGID: ("switch to user \(user) to run \(program)", "setresgid")
            case SF_STEP_SETRESUID: ("switch to user \(user) to run \(program)", "setresuid")
            case SF_STEP_VERIFY_IDS: ("switch to user \(user) to run \(program)", "getresuid")
            case SF_STEP_RLIMIT: ("set the resource limits to run \(program)", "setrlimit")
            case SF_STEP_NO_NEW_PRIVS: ("set no_new_privs to run \(program)", "prctl PR_SET_NO_NEW_PRIVS")
            case SF_STEP_PDEATHSIG: ("set the parent-death signal to run \(program)", "prctl PR_SET_PDEATHSIG")
            case SF_STEP_PARENT_GONE: ("run \(program): the agent went away during launch", "getppid")
            case SF_STEP_CHDIR: ("change to directory \(plan.workingDirectory) to run \(program)", "chdir")
            case SF_STEP_LANDLOCK: ("apply the Landlock ruleset to run \(program)", "landlock_restrict_self")
            case SF_STEP_SECCOMP: ("install the seccomp filter to run \(program)", "prctl PR_SET_SECCOMP")
            case SF_STEP_EXECVE: ("execute \(program)", "execve")
            case SF_STEP_PIPE: ("create the launch report pipe to run \(program)", "pipe2")
            case SF_STEP_FORK: ("start a process to run \(program)", "fork")
            case SF_STEP_REPORT: ("read the launch report of \(program)", "read")
            case SF_STEP_USER_MAP: ("map the agent's user into a user namespace to run \(program)", "write uid_map")
            case SF_STEP_MOUNT: ("mount a /proc of the job's PID namespace to run \(program)", "mount")
            case SF_STEP_INIT_FORK: ("start \(program) under the PID namespace's init", "clone")
            case SF_STEP_MOUNT_PASSWD: ("show the job its own /etc/passwd to run \(program)", "mount")
            default: ("run \(program) (unknown launch step \(failure.step))", "sf_spawn")
            }
        return LaunchError(.spawnFailed, cannot: action, step: step, errno: failure.error)
    }
}
