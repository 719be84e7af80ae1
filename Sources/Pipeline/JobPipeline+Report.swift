import AgentConfig
import GitSource
import Report
import ReportDelivery

extension JobPipeline {
    /// Sends the job's result to `report.url` (the report); `nil` when no
    /// report is configured. The outcome is recorded in `result.json` and
    /// printed; it never changes the job's status or exit code.
    func deliverReport(_ result: JobResult, secrets: JobSecrets) -> JobResult.ReportDelivery? {
        guard let url = configuration.report.url else { return nil }
        let body: [UInt8]
        do { body = try result.jsonBytes() } catch {
            return JobResult.ReportDelivery(
                delivered: false, attempts: 0, httpStatus: nil, error: "Cannot encode the report: \(error).")
        }
        let target = ReportTarget(
            url: url, bearerToken: secrets.reportToken, attempts: configuration.report.attempts,
            timeout: configuration.report.timeout, caFile: configuration.report.caFile)
        var outcome = ReportSender(target: target).deliver(body)
        outcome.error = outcome.error.map { secrets.masker.mask($0) }
        if let error = outcome.error {
            AgentLog.warning(
                "The report was not delivered to \(secrets.masker.mask(RepositoryURL.redacted(url))): \(error)")
        }
        return outcome
    }
}
