import Report

#if canImport(Glibc)
import Glibc
#endif

/// Delivers the job's result to `report.url`: a POST of the JSON with a
/// bearer token, retried with backoff on no answer, 408, 425, 429 and 5xx,
/// each attempt bounded by the target's timeout. It never throws: the
/// outcome is recorded, and a report never changes the job's status.
///
/// ```swift
/// let outcome = ReportSender(target: target).deliver(try result.jsonBytes())
/// if !outcome.delivered { print(outcome.error ?? "") }
/// ```
package struct ReportSender: Sendable {
    package var target: ReportTarget
    /// Waits between attempts; tests shorten it.
    var sleep: @Sendable (Duration) -> Void = { duration in
        var request = timespec(
            tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    package init(target: ReportTarget) {
        self.target = target
    }

    /// POSTs `body` until delivered, refused for good, or out of attempts.
    package func deliver(_ body: [UInt8]) -> JobResult.ReportDelivery {
        var attempts = 0
        var lastStatus: Int?
        var lastError = "not attempted"
        while attempts < max(1, target.attempts) {
            if attempts > 0 { sleep(RetryPolicy.backoff(afterAttempt: attempts)) }
            attempts += 1
            let (status, error) = HTTPPost.send(body, to: target)
            lastStatus = status
            switch RetryPolicy.verdict(httpStatus: status) {
            case .delivered:
                return JobResult.ReportDelivery(delivered: true, attempts: attempts, httpStatus: status, error: nil)
            case .giveUp:
                return JobResult.ReportDelivery(
                    delivered: false, attempts: attempts, httpStatus: status,
                    error: "The report endpoint answered HTTP \(status ?? 0); not retried.")
            case .retry:
                lastError =
                    status.map { "The report endpoint answered HTTP \($0)." }
                    ?? "No answer from the report endpoint: \(error ?? "unknown error")."
            }
        }
        return JobResult.ReportDelivery(
            delivered: false, attempts: attempts, httpStatus: lastStatus,
            error: "\(lastError) Gave up after \(attempts) attempt\(attempts == 1 ? "" : "s").")
    }
}
