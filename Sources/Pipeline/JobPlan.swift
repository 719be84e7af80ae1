import GitSource
import JobInput
import Launch

/// Everything decided before the script starts: what runs, from which
/// commit, as whom, with which arguments, under which sandbox, with which
/// secrets. Made once, by the plan stage, and never changed after: `sf-agent
/// check` prints it and `sf-agent run` launches it.
package struct JobPlan: Sendable, Equatable {
    package var job: JobRequest
    /// Repository URL, credentials stripped.
    package var repository: String
    /// The ref as requested (configured or `SCRIPTS_REF`).
    package var ref: String
    package var resolved: ResolvedRef
    package var checkout: Checkout
    package var script: ResolvedScript
    package var scriptSHA256: String
    /// Interpreter, script path and parameters: the exact argv.
    package var argv: [String]
    /// Who the script runs as; `switchUser` says whether the agent changes to it.
    package var user: RunUser
    package var switchUser: Bool
    package var workDirectory: String
    package var artifactsDirectory: String
    package var parametersFile: String
    /// The script's environment but for the secrets' values.
    package var environment: [String: String]
    /// The variables that will carry secrets (`secrets.expose = env`),
    /// sorted; their values are added only at the launch.
    package var secretVariables: [String]
    /// The job's private secrets folder (`secrets.expose = files`), named by
    /// `SF_SECRETS_DIR` in ``environment`` and readable under the sandbox's rules.
    package var secretsFolder: String?
    package var timeout: Duration
    package var killGrace: Duration
    /// What the child applies: limits, Landlock, seccomp, network isolation.
    package var sandbox: SandboxPlan
    /// The rules checked and passed, for `check` to show.
    package var passedRules: [String]

    /// The launch request for the supervisor, with the sandbox's
    /// containment. The pipeline runs in the `sf-agent` process, whose only
    /// children while the job runs are the job's, so the fallbacks that
    /// treat every child outside its session as the job's are right here.
    package func launchPlan(secretEnvironment: [String: String]) -> LaunchPlan {
        LaunchPlan(
            executable: argv[0], arguments: argv, environment: environment.merging(secretEnvironment) { $1 },
            workingDirectory: workDirectory, user: switchUser ? user : nil,
            timeout: timeout, killGrace: killGrace, sandbox: sandbox, containment: sandbox.containment)
    }
}
