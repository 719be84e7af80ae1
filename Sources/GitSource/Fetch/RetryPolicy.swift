/// Which fetch failures are worth another attempt, and how long to wait.
///
/// Pure, so its rules read as a table in `RetryPolicyTests`.
///
/// ```swift
/// RetryPolicy.isTransient(FetchFailure(code: -1, errorClass: 2, message: "connection refused"))  // true
/// RetryPolicy.delay(beforeAttempt: 3, initial: .seconds(1), maximum: .seconds(30), jitter: 1.0)  // 2 s
/// ```
enum RetryPolicy {
    /// Transient: the network or the server hiccupped (refused, reset,
    /// timed out, 5xx, a stream cut short). Permanent: authentication,
    /// certificates and host keys, a missing repository or ref, policy.
    static func isTransient(_ failure: FetchFailure) -> Bool {
        if failure.timedOut { return true }
        if failure.permanent { return false }
        let text = failure.message.lowercased()
        let permanent = [
            "401", "403", "404", "authentication", "credentials", "not found", "access denied", "not exported",
            "does not appear to be a git repository", "host key", "certificate", "unsupported url protocol",
            "cannot fetch a specific object", "invalid",
        ]
        if permanent.contains(where: text.contains) { return false }
        let transient = [
            "connection refused", "connection reset", "timed out", "timeout", "broken pipe", "early eof",
            "unexpected eof", "failed to connect", "could not connect", "network is unreachable",
            "temporary failure in name resolution", "failed to send request", "failed to receive",
            "unexpected http status code: 5", "status code: 5", "eof", "reset by peer", "ssh session",
            "error reading", "failed to read", "socket",
        ]
        return transient.contains(where: text.contains)
    }

    /// The wait before attempt `attempt` (2, 3, …): `initial · 2^(attempt-2)`
    /// capped at `maximum`, scaled by `jitter` (0.5 ... 1: "equal jitter").
    static func delay(beforeAttempt attempt: Int, initial: Duration, maximum: Duration, jitter: Double) -> Duration {
        guard attempt >= 2 else { return .zero }
        var base = initial
        for _ in 0..<min(attempt - 2, 20) {
            base = base * 2
            if base >= maximum {
                base = maximum
                break
            }
        }
        if base > maximum { base = maximum }
        return base * max(0.5, min(1.0, jitter))
    }
}
