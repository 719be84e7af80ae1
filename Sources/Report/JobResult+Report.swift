extension JobResult {
    /// How delivering the result to `report.url` went: `result.json`'s `report`.
    ///
    /// ```swift
    /// JobResult.ReportDelivery(delivered: false, attempts: 3, httpStatus: 503, error: "The report endpoint answered HTTP 503. …")
    /// ```
    package struct ReportDelivery: Sendable, Equatable, Encodable {
        package var delivered: Bool
        package var attempts: Int
        package var httpStatus: Int?
        package var error: String?

        package init(delivered: Bool, attempts: Int, httpStatus: Int?, error: String?) {
            self.delivered = delivered
            self.attempts = attempts
            self.httpStatus = httpStatus
            self.error = error
        }

        enum CodingKeys: String, CodingKey { case delivered, attempts, httpStatus = "http_status", error }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(delivered, forKey: .delivered)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(httpStatus, forKey: .httpStatus)
            try container.encode(error, forKey: .error)
        }
    }
}
