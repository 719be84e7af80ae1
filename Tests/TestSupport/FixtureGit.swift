/// The git CLI for test fixtures, with the host's configuration kept out
/// (no system or global config, no HOME, fixed names and C locale): the one
/// git helper the test targets share.
///
/// ```swift
/// try FixtureGit.run(["init", "-q", "-b", "main"], in: repository)
/// let head = try FixtureGit.run(["rev-parse", "HEAD"], in: repository)
/// ```
package enum FixtureGit {
    /// The environment git runs with; callers may add to it (`GNUPGHOME`).
    package static let environment: [String: String] = [
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/nonexistent",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "LC_ALL": "C",
    ]

    /// Runs `git -C directory <arguments>`; returns its standard output without
    /// the trailing newline, or throws ``CommandFailure`` naming the command.
    @discardableResult
    package static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:])
        throws -> String
    {
        try Command.check(
            "/usr/bin/git", ["-C", directory] + arguments, environment: environment.merging(extra) { $1 })
    }
}
