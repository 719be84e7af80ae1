/// How delivering the report went: `result.json`'s `report`.
///
/// ```swift
/// DeliveryOutcome(delivered: false, attempts: 3, httpStatus: 503, error: "HTTP 503 from https://ci.example/report")
/// ```
public struct DeliveryOutcome: Sendable, Equatable {
    public var delivered: Bool
    /// How many requests were made.
    public var attempts: Int
    /// The last HTTP status received, if any.
    public var httpStatus: Int?
    /// Why it was not delivered (the last failure), `nil` when delivered.
    public var error: String?

    public init(delivered: Bool, attempts: Int, httpStatus: Int?, error: String?) {
        self.delivered = delivered
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.error = error
    }
}
