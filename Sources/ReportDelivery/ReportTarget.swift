/// Where and how the report goes.
///
/// ```swift
/// let target = ReportTarget(url: "https://ci.example/report", bearerToken: token, attempts: 3,
///                           timeout: .seconds(10), caFile: "/etc/sf-agent/ca.pem")
/// ```
package struct ReportTarget: Sendable, Equatable {
    /// `http://` or `https://` URL receiving a POST of the result JSON.
    package var url: String
    /// Sent as `Authorization: Bearer <token>`.
    package var bearerToken: String?
    /// Requests made at most (1 or more).
    package var attempts: Int
    /// Limit of each request, connection included.
    package var timeout: Duration
    /// PEM bundle of the CAs trusted for HTTPS instead of the system's.
    package var caFile: String?

    package init(url: String, bearerToken: String?, attempts: Int, timeout: Duration, caFile: String?) {
        self.url = url
        self.bearerToken = bearerToken
        self.attempts = attempts
        self.timeout = timeout
        self.caFile = caFile
    }
}
