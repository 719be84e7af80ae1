import GitSource
import JobInput
import Launch

/// Everything decided before the script starts: what runs, from which
/// commit, as whom, with which arguments. `sf-agent check` prints it.
public struct JobPlan: Sendable {
    public var job: JobRequest
    /// Repository URL, credentials stripped.
    public var repository: String
    /// The ref as requested (configured or `SCRIPTS_REF`).
    public var ref: String
    public var resolved: ResolvedRef
    public var checkout: Checkout
    public var script: ResolvedScript
    public var scriptSHA256: String
    /// Interpreter, script path and parameters: the exact argv.
    public var argv: [String]
    /// Who the script runs as; `switchUser` says whether the agent changes to it.
    public var user: RunUser
    public var switchUser: Bool
    public var workDirectory: String
    public var artifactsDirectory: String
    public var parametersFile: String
    public var environment: [String: String]
    public var timeout: Duration
    public var killGrace: Duration
    /// What the child applies: limits, Landlock, seccomp, network isolation.
    public var sandbox: SandboxPlan
    /// The rules checked and passed, for `check` to show.
    public var passedRules: [String]

    /// The launch request for the supervisor, with the sandbox's
    /// containment. The pipeline runs in the `sf-agent` process, whose only
    /// children while the job runs are the job's, so the fallbacks that
    /// treat every child outside its session as the job's are right here.
    public var launchPlan: LaunchPlan {
        LaunchPlan(
            executable: argv[0], arguments: argv, environment: environment,
            workingDirectory: workDirectory, user: switchUser ? user : nil,
            timeout: timeout, killGrace: killGrace, sandbox: sandbox, containment: sandbox.containment)
    }
}
