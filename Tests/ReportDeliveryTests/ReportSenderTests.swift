import Foundation
import Report
import TestSupport
import Testing

@testable import ReportDelivery

/// Delivery against a real server on 127.0.0.1, over HTTP and HTTPS.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ReportSenderTests {
    func sender(_ url: String, attempts: Int = 3, timeout: Duration = .seconds(5), caFile: String? = nil)
        -> ReportSender
    {
        var sender = ReportSender(
            target: ReportTarget(url: url, bearerToken: "tok-123", attempts: attempts, timeout: timeout, caFile: caFile)
        )
        sender.sleep = { _ in usleep(10_000) }
        return sender
    }

    @Test func retryPolicyTable() {
        let table: [(Int?, RetryPolicy.Verdict)] = [
            (200, .delivered), (204, .delivered), (nil, .retry), (408, .retry), (429, .retry), (500, .retry),
            (503, .retry), (301, .giveUp), (400, .giveUp), (401, .giveUp), (403, .giveUp), (404, .giveUp),
        ]
        for (status, verdict) in table {
            #expect(RetryPolicy.verdict(httpStatus: status) == verdict, "\(String(describing: status))")
        }
        #expect(
            (1...7).map { RetryPolicy.backoff(afterAttempt: $0) } == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8),
            ])
    }

    @Test func deliveredWithTheTokenAndTheBody() throws {
        let server = try TestReportServer()
        defer { server.stop() }
        let body = Array(#"{"status":"succeeded"}"#.utf8)
        let outcome = sender(server.url("/ok")).deliver(body)
        #expect(outcome == JobResult.ReportDelivery(delivered: true, attempts: 1, httpStatus: 200, error: nil))
        let request = try #require(server.requests().first)
        #expect(request["auth"] as? String == "Bearer tok-123")
        #expect(request["type"] as? String == "application/json")
        #expect(request["body"] as? String == #"{"status":"succeeded"}"#)
    }

    @Test func twoServiceUnavailableThenDelivered() throws {
        let server = try TestReportServer()
        defer { server.stop() }
        let outcome = sender(server.url("/flaky"), attempts: 3).deliver(Array("{}".utf8))
        #expect(outcome == JobResult.ReportDelivery(delivered: true, attempts: 3, httpStatus: 200, error: nil))
        #expect(server.requests().count == 3)
    }

    @Test func aServerThatNeverAnswersIsGivenUpOn() throws {
        let server = try TestReportServer()
        defer { server.stop() }
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = sender(server.url("/hang"), attempts: 2, timeout: .milliseconds(700)).deliver(Array("{}".utf8))
        let took = clock.now - started
        #expect(!outcome.delivered)
        #expect(outcome.attempts == 2)
        #expect(outcome.httpStatus == nil)
        #expect(outcome.error?.contains("Gave up after 2 attempts") == true, "\(outcome.error ?? "")")
        #expect(took >= .milliseconds(1400) && took < .seconds(10), "two attempts of 0.7 s: \(took)")
    }

    @Test func aRefusalIsNotRetried() throws {
        let server = try TestReportServer()
        defer { server.stop() }
        let outcome = sender(server.url("/forbidden"), attempts: 5).deliver(Array("{}".utf8))
        #expect(outcome.delivered == false && outcome.attempts == 1 && outcome.httpStatus == 403)
    }

    @Test func nobodyListening() throws {
        let outcome = sender("http://127.0.0.1:9/report", attempts: 2).deliver(Array("{}".utf8))
        #expect(!outcome.delivered && outcome.attempts == 2)
        #expect(outcome.error?.contains("No answer from the report endpoint") == true)
    }

    @Test func httpsWithATestCA() throws {
        let server = try TestReportServer(tls: true)
        defer { server.stop() }
        let trusted = sender(server.url("/ok"), caFile: server.caFile).deliver(Array("{}".utf8))
        #expect(trusted.delivered, "\(trusted.error ?? "")")
        let untrusted = sender(server.url("/ok"), attempts: 1).deliver(Array("{}".utf8))
        #expect(!untrusted.delivered, "the system CAs do not know the test CA")
        #expect(server.requests().count == 1, "nothing was sent over the unverified connection")
    }
}
