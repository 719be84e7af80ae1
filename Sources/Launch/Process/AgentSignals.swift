import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// The agent's own termination signals, latched instead of killing it.
///
/// After ``install()``, `SIGTERM`, `SIGINT` and `SIGHUP` no longer end the
/// agent: they are recorded, and a running ``Supervisor/run(_:output:)``
/// stops its job (`cancelled == true`) so results can still be written.
/// `SIGPIPE` is ignored, so a closed console cannot kill the agent.
///
/// ```swift
/// try AgentSignals.install()          // once, at agent start
/// ...
/// if let signal = AgentSignals.received { print("stopping on signal \(signal)") }
/// ```
package enum AgentSignals {
    /// Installs the handlers. Call once, at agent start, before any job;
    /// calling it again does nothing.
    package static func install() throws(LaunchError) {
        guard sf_signals_install() >= 0 else {
            throw LaunchError(
                .setupFailed, cannot: "install the agent's signal handlers", step: "sigaction", errno: currentErrno())
        }
        system_signal(SIGPIPE, SIG_IGN)
    }

    /// The last of `SIGTERM`, `SIGINT`, `SIGHUP` the agent received, or nil.
    package static var received: Int32? {
        let last = sf_signals_last()
        return last == 0 ? nil : last
    }

    /// The latch's self-pipe (read end, non-blocking), or nil before ``install()``.
    package static var wakeDescriptor: Int32? {
        let fd = sf_signals_descriptor()
        return fd >= 0 ? fd : nil
    }
}
