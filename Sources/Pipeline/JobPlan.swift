import GitSource
import JobInput
import Launch

/// Everything decided before the script starts: what runs, from which
/// commit, as whom, with which arguments, under which sandbox, with which
/// secrets. Made once, by the plan stage, and never changed after: `sf-agent
/// check` prints it and `sf-agent run` launches it.
public struct JobPlan: Sendable, Equatable {
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
    /// The script's environment but for the secrets' values.
    public var environment: [String: String]
    /// The variables that will carry secrets (`secrets.expose = env`),
    /// sorted; their values are added only at the launch.
    public var secretVariables: [String]
    /// The job's private secrets folder (`secrets.expose = files`), named by
    /// `SF_SECRETS_DIR` in ``environment`` and readable under the sandbox's rules.
    public var secretsFolder: String?
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
    public func launchPlan(secretEnvironment: [String: String]) -> LaunchPlan {
        LaunchPlan(
            executable: argv[0], arguments: argv, environment: environment.merging(secretEnvironment) { $1 },
            workingDirectory: workDirectory, user: switchUser ? user : nil,
            timeout: timeout, killGrace: killGrace, sandbox: sandbox, containment: sandbox.containment)
    }
}
