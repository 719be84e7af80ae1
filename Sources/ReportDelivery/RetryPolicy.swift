/// Whether one attempt delivered the report, may be retried, or must not
/// be, and how long to wait before the next one.
///
/// ```swift
/// RetryPolicy.verdict(httpStatus: 503)   // .retry
/// RetryPolicy.verdict(httpStatus: 401)   // .giveUp (retrying cannot help)
/// RetryPolicy.backoff(afterAttempt: 3)   // .seconds(2)
/// ```
package enum RetryPolicy {
    package enum Verdict: Sendable, Equatable {
        case delivered, retry, giveUp
    }

    /// `nil` status: no HTTP answer at all (connection refused, timeout, TLS failure).
    package static func verdict(httpStatus: Int?) -> Verdict {
        guard let status = httpStatus else { return .retry }
        switch status {
        case 200..<300: return .delivered
        case 408, 425, 429, 500..<600: return .retry
        default: return .giveUp
        }
    }

    /// 0.5 s after the first attempt, doubling, at most 8 s.
    package static func backoff(afterAttempt attempt: Int) -> Duration {
        let milliseconds = 500 << min(max(attempt - 1, 0), 4)
        return .milliseconds(min(milliseconds, 8000))
    }
}
