import AgentSystem

/// How the cache talks to the server: time limit, attempts, credentials, progress.
///
/// ```swift
/// var settings = FetchSettings()
/// settings.timeout = .seconds(60)
/// settings.attempts = 3
/// settings.worker = "/proc/self/exe"      // run each fetch in a killable child
/// let cache = GitCache(directory: "/var/cache/sf-agent", fetch: settings)
/// ```
package struct FetchSettings: Sendable, Equatable {
    /// Wall-clock limit for one attempt (connect, negotiate, download).
    package var timeout: Duration
    /// How many times a transient failure is tried in all (at least 1).
    package var attempts: Int
    /// The delay before the second attempt; it doubles each time, with jitter, up to ``maximumBackoff``.
    package var initialBackoff: Duration
    /// The longest delay between attempts.
    package var maximumBackoff: Duration
    /// Credentials and trust anchors.
    package var access: GitAccess
    /// Progress lines on stderr for fetches longer than a second.
    package var showProgress: Bool
    /// An executable whose `fetch-worker` subcommand runs ``FetchWorker/serve()``
    /// (the agent itself). Each attempt then runs in that child, which is
    /// killed at the deadline wherever it hangs (DNS, connect, TLS, SSH,
    /// a read). nil runs the fetch in this process, where only the progress
    /// callbacks can enforce the deadline.
    package var worker: String?
    /// Fires when the agent is told to stop: a fetch in progress (in the
    /// worker), a wait between attempts or for a cache lock then ends at once
    /// with ``SourceError/Code/cancelled``.
    package var stop: StopNotice

    /// Defaults: 5 minutes, 3 attempts, 1 s then doubling up to 30 s, no credentials, in-process.
    package init(
        timeout: Duration = .seconds(300), attempts: Int = 3, initialBackoff: Duration = .seconds(1),
        maximumBackoff: Duration = .seconds(30), access: GitAccess = GitAccess(), showProgress: Bool = false,
        worker: String? = nil, stop: StopNotice = .never
    ) {
        self.timeout = timeout
        self.attempts = attempts
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.access = access
        self.showProgress = showProgress
        self.worker = worker
        self.stop = stop
    }
}
