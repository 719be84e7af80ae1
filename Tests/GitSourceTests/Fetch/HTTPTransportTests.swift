import Foundation
import TestSupport
import Testing

@testable import GitSource

/// Smart HTTP and HTTPS against `git http-backend` behind a real lighttpd on
/// 127.0.0.1 (basic authentication, a test CA), through the fetch worker.
@Suite(.serialized, .timeLimit(.minutes(10))) struct HTTPTransportTests {
    static let password = "pw-\(UUID().uuidString.prefix(12))"

    @Test(arguments: [false, true]) func cloneThenFetchANewCommitWithBasicAuthentication(tls: Bool) throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let tokenFile = try secretFile(origin.root, "token", "ci:\(Self.password)\n")
        let access = try GitAccess.load(
            tokenFile: tokenFile, sshKeyFile: nil, sshKnownHosts: nil, caFile: tls ? server.caFile : nil)
        let cache = workerCache(origin.root, access: access)
        // mbedTLS matches DNS names only: over HTTPS the server is reached as localhost.
        let url = server.url("origin", tls: tls, host: tls ? "localhost" : "127.0.0.1")

        let (first, checkout) = try cache.prepare(url: url, ref: .shortName("main"))
        #expect(first.commit == origin.second)
        #expect(first.fetched && first.attempts == 1)
        #expect(try String(contentsOfFile: checkout.path + "/README.md", encoding: .utf8) == "hello again\n")

        let third = try origin.commitOnMain("third\n")
        let (again, newer) = try cache.prepare(url: url, ref: .shortName("main"))
        #expect(again.commit == third)
        #expect(try String(contentsOfFile: newer.path + "/README.md", encoding: .utf8) == "third\n")
        #expect(!server.errorLog.contains("password doesn't match"), "\(server.errorLog)")
    }

    /// A pinned commit that is no branch tip: the server refuses it as a
    /// want, so every branch and tag is fetched on a second connection,
    /// which must authenticate again, and must not move a tag the cache
    /// remembers (`policy.immutable_tags`).
    @Test func pinnedCommitBehindATipAuthenticatesAgainAndMovesNoTag() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let access = try GitAccess.load(
            tokenFile: try secretFile(origin.root, "token", "ci:\(Self.password)\n"), sshKeyFile: nil,
            sshKnownHosts: nil, caFile: nil)
        let cache = workerCache(origin.root, access: access)
        let url = server.url("origin")
        #expect(try cache.resolve(url: url, ref: .shortName("v1")).commit == origin.first)
        let pinned = try origin.commitOnMain("pinned\n")
        let tip = try origin.commitOnMain("tip\n")
        try Shell.git("tag", "-f", "-a", "-m", "moved", "v1", tip, in: origin.path)

        let (resolved, checkout) = try cache.prepare(url: url, ref: .commit(pinned))
        #expect(resolved.commit == pinned && resolved.fetched)
        #expect(try String(contentsOfFile: checkout.path + "/README.md", encoding: .utf8) == "pinned\n")
        let moved = expectFailure { _ = try cache.resolve(url: url, ref: .shortName("v1")) }
        #expect(moved?.code == .refused, "the tag moved on the server: \(String(describing: moved))")
        #expect(
            moved?.message.contains(origin.first) == true && moved?.message.contains(tip) == true,
            "\(String(describing: moved))")
    }

    /// A file holding a bare token authenticates as `x-access-token` (GitHub's convention).
    @Test func bareTokenIsSentAsTheAccessTokenUser() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let token = "tok_\(UUID().uuidString.prefix(16))"
        let server = try GitHTTPServer(projectRoot: origin.root, user: GitAccess.tokenUser, password: token)
        defer { server.stop() }
        let access = try GitAccess.load(
            tokenFile: try secretFile(origin.root, "token", "  \(token)\n"), sshKeyFile: nil, sshKnownHosts: nil,
            caFile: nil)
        #expect(!access.description.contains(token))
        #expect(
            try workerCache(origin.root, access: access).resolve(url: server.url("origin"), ref: .shortName("main"))
                .commit == origin.second)
    }

    @Test func missingRepositoryIsNotRetried() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let access = try GitAccess.load(
            tokenFile: try secretFile(origin.root, "token", "ci:\(Self.password)"), sshKeyFile: nil, sshKnownHosts: nil,
            caFile: nil)
        let error = expectFailure {
            _ = try workerCache(origin.root, access: access).resolve(
                url: server.url("nothing.git"), ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("404"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
    }

    @Test func wrongPasswordIsRefusedOnceAndNotRetried() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let wrong = "wrong-\(UUID().uuidString.prefix(10))"
        let tokenFile = try secretFile(origin.root, "token", "ci:\(wrong)")
        let access = try GitAccess.load(tokenFile: tokenFile, sshKeyFile: nil, sshKnownHosts: nil, caFile: nil)
        let start = Date()
        let error = expectFailure {
            _ = try workerCache(origin.root, access: access).resolve(url: server.url("origin"), ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(error?.code == .fetchFailed)
        #expect(message.contains("refused the credentials in repo.token_file"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(!message.contains(wrong) && !message.contains(Self.password), "\(message)")
        #expect(Date().timeIntervalSince(start) < 30)
        let refusals = server.errorLog.components(separatedBy: "password doesn't match").count - 1
        #expect(refusals == 1, "the wrong password was sent \(refusals) times: \(server.errorLog)")
    }

    @Test func withoutATokenTheServerAsksAndIsRefusedClearly() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let error = expectFailure {
            _ = try workerCache(origin.root, access: GitAccess()).resolve(
                url: server.url("origin"), ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("requires authentication (HTTP 401) but repo.token_file is not set"), "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        // The public path needs no token.
        #expect(
            try workerCache(origin.root, access: GitAccess()).resolve(
                url: server.url("origin", authenticated: false), ref: .shortName("main")
            ).commit == origin.second)
    }

    @Test func httpsWithoutThePrivateCAIsRefusedWithACertificateError() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let tokenFile = try secretFile(origin.root, "token", "ci:\(Self.password)")
        let access = try GitAccess.load(tokenFile: tokenFile, sshKeyFile: nil, sshKnownHosts: nil, caFile: nil)
        let error = expectFailure {
            _ = try workerCache(origin.root, access: access).resolve(
                url: server.url("origin", tls: true, host: "localhost"), ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("certificate is invalid"), "\(message)")
        #expect(
            message.contains("not signed by a CA in the system bundle; for a private CA, set repo.ca_file"),
            "\(message)")
        #expect(message.contains("not retried"), "\(message)")
        #expect(!message.contains(Self.password))
    }

    /// mbedTLS 2.28 (Debian 12's libgit2) ignores IP address SANs: the error says so and how to fix it.
    @Test func httpsToAnIPAddressExplainsTheDNSNameRule() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let access = GitAccess(caFile: server.caFile)
        let error = expectFailure {
            _ = try workerCache(origin.root, access: access).resolve(
                url: server.url("origin", tls: true), ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(message.contains("does not name 127.0.0.1 as a DNS name"), "\(message)")
        #expect(!message.contains("not signed by a CA"), "the private CA in repo.ca_file is trusted: \(message)")
        #expect(message.contains("not retried"), "\(message)")
    }

    @Test func credentialsInTheURLNeverShowInErrors() throws {
        let origin = try OriginRepository.make()
        defer { origin.remove() }
        let server = try GitHTTPServer(projectRoot: origin.root, password: Self.password)
        defer { server.stop() }
        let wrong = "url-secret-\(UUID().uuidString.prefix(8))"
        let url = server.url("origin").replacingOccurrences(of: "://", with: "://ci:\(wrong)@")
        let error = expectFailure {
            _ = try workerCache(origin.root, access: GitAccess()).resolve(url: url, ref: .shortName("main"))
        }
        let message = try #require(error?.message)
        #expect(!message.contains(wrong), "\(message)")
        #expect(message.contains(server.url("origin")), "\(message)")
    }
}
