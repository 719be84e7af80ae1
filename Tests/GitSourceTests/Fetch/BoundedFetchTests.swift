import Foundation
import TestSupport
import Testing

@testable import GitSource

/// Every network attempt ends by `repo.fetch_timeout`; transient failures
/// are retried, permanent ones are not. Real servers on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(10))) struct BoundedFetchTests {
    /// The agent binary runs each attempt as `sf-agent fetch-worker`.
    static var worker: String {
        ProcessInfo.processInfo.environment["SF_AGENT_BINARY"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path + "/.build/debug/sf-agent"
    }

    func cache(_ root: String, timeout: Duration, attempts: Int, access: GitAccess = GitAccess()) -> GitCache {
        let settings = FetchSettings(
            timeout: timeout, attempts: attempts, initialBackoff: .milliseconds(200), access: access,
            worker: Self.worker)
        return GitCache(directory: root + "/cache", fetch: settings)
    }

    /// Also a TLS and an SSH handshake that never start: the worker is killed wherever it waits.
    @Test(arguments: [
        "git://127.0.0.1:%d/origin", "http://127.0.0.1:%d/origin.git", "https://127.0.0.1:%d/origin.git",
        "ssh://git@127.0.0.1:%d/origin",
    ])
    func serverThatNeverAnswersIsCutOffAtTheDeadline(template: String) throws {
        let server = try TestServer(python: TestServer.stalled)
        defer { server.stop() }
        let scratch = try TemporaryDirectory("sf-stall")
        let root = scratch.path
        let url = String(format: template, Int(server.port))
        let start = Date()
        do {
            _ = try cache(root, timeout: .seconds(2), attempts: 1).resolve(url: url, ref: .shortName("main"))
            Issue.record("a stalled server answered")
        } catch {
            #expect(error.code == .fetchFailed)
            #expect(error.message.contains("repo.fetch_timeout"), "\(error.message)")
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 2 && elapsed < 2 + 3, "ended after \(elapsed) s")
    }

    @Test func timedOutAttemptsAreRetried() throws {
        let server = try TestServer(python: TestServer.stalled)
        defer { server.stop() }
        let scratch = try TemporaryDirectory("sf-stall")
        let root = scratch.path
        let url = "git://127.0.0.1:\(server.port)/origin"
        do {
            _ = try cache(root, timeout: .seconds(1), attempts: 2).resolve(url: url, ref: .shortName("main"))
            Issue.record("a stalled server answered")
        } catch {
            #expect(error.message.contains("after 2 attempts"), "\(error.message)")
        }
    }

    @Test func serverThatFailsTwiceThenWorks() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let daemon = try TestGitDaemon(basePath: origin.root)
        defer { daemon.stop() }
        let proxy = try TestServer(python: TestServer.flakyProxy, arguments: ["2", String(daemon.clientPort)])
        defer { proxy.stop() }
        let url = "git://127.0.0.1:\(proxy.port)/origin"
        let resolved = try cache(origin.root, timeout: .seconds(20), attempts: 3).resolve(
            url: url, ref: .shortName("main"))
        #expect(resolved.commit == origin.second)
        #expect(resolved.attempts == 3)

        // Only two attempts allowed: the same server fails the job, saying how often it tried.
        let again = try TestServer(python: TestServer.flakyProxy, arguments: ["2", String(daemon.clientPort)])
        defer { again.stop() }
        do {
            _ = try cache(origin.root + "/other", timeout: .seconds(20), attempts: 2)
                .resolve(url: "git://127.0.0.1:\(again.port)/origin", ref: .shortName("main"))
            Issue.record("succeeded with too few attempts")
        } catch {
            #expect(error.code == .fetchFailed)
            #expect(error.message.contains("after 2 attempts"), "\(error.message)")
        }
    }

    @Test func authenticationFailureIsNotRetried() throws {
        let server = try TestServer(python: TestServer.unauthorized)
        defer { server.stop() }
        let scratch = try TemporaryDirectory("sf-auth")
        let root = scratch.path
        let url = "http://127.0.0.1:\(server.port)/origin.git"

        // No token: refused at once, the message names the key.
        do {
            _ = try cache(root, timeout: .seconds(10), attempts: 3).resolve(url: url, ref: .shortName("main"))
            Issue.record("an unauthorized fetch succeeded")
        } catch {
            #expect(error.message.contains("repo.token_file is not set"), "\(error.message)")
            #expect(error.message.contains("not retried"), "\(error.message)")
        }
        #expect(server.connections == 1, "one request, no retry")

        // A wrong token: sent once, refused, not retried, never printed.
        let access = GitAccess(httpUser: "ci", httpPassword: "wrong-s3cret-value")
        do {
            _ = try cache(root, timeout: .seconds(10), attempts: 3, access: access).resolve(
                url: url, ref: .shortName("main"))
            Issue.record("an unauthorized fetch succeeded")
        } catch {
            #expect(error.message.contains("refused the credentials"), "\(error.message)")
            #expect(!error.message.contains("wrong-s3cret-value"))
        }
        #expect(server.connections == 1 + 2, "the anonymous request and one with the token")
    }

    @Test func backoffDoublesWithJitterUpToTheCap() {
        let table: [(attempt: Int, jitter: Double, expected: Duration)] = [
            (1, 1.0, .zero), (2, 1.0, .seconds(1)), (3, 1.0, .seconds(2)), (4, 1.0, .seconds(4)),
            (4, 0.5, .seconds(2)), (4, 0.1, .seconds(2)), (7, 1.0, .seconds(30)), (40, 1.0, .seconds(30)),
        ]
        for row in table {
            #expect(
                RetryPolicy.delay(
                    beforeAttempt: row.attempt, initial: .seconds(1), maximum: .seconds(30), jitter: row.jitter)
                    == row.expected, "\(row)")
        }
    }

    @Test func transientAndPermanentFailures() {
        let table: [(String, Bool)] = [
            ("failed to connect to 127.0.0.1: Connection refused", true),
            ("Connection reset by peer", true),
            ("unexpected http status code: 503", true),
            ("early EOF", true),
            ("the server requires authentication (HTTP 401) but repo.token_file is not set", false),
            ("unexpected http status code: 404", false),
            ("remote error: access denied or repository not exported: /x", false),
            ("the host key of [127.0.0.1]:2222 (ssh-ed25519 SHA256:abc) is not in repo.ssh_known_hosts", false),
            ("certificate verify failed", false),
        ]
        for (message, transient) in table {
            #expect(
                RetryPolicy.isTransient(FetchFailure(code: -1, errorClass: 0, message: message)) == transient,
                "\(message)")
        }
        #expect(RetryPolicy.isTransient(FetchFailure(code: 0, errorClass: 0, message: "x", timedOut: true)))
        #expect(
            !RetryPolicy.isTransient(
                FetchFailure(code: 0, errorClass: 0, message: "connection refused", permanent: true)))
    }
}
