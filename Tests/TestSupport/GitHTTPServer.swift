import Foundation

/// `git http-backend` behind a real lighttpd on 127.0.0.1, started by a
/// test: repositories under `projectRoot` are served at
///
/// - `http://127.0.0.1:<httpPort>/public/<name>` (anonymous),
/// - `http://127.0.0.1:<httpPort>/private/<name>` (HTTP basic authentication
///   against one `user:password`, mod_auth with a plain user file),
/// - the same two paths over HTTPS on `httpsPort`, with a certificate for
///   127.0.0.1 signed by a fresh test CA (``caFile``).
///
/// Call ``stop()`` at the end (it also runs in deinit): lighttpd is killed
/// and reaped, its folder removed.
package final class GitHTTPServer {
    package let httpPort: UInt16
    package let httpsPort: UInt16
    package let user: String
    package let password: String
    /// The folder holding the configuration, the CA, the log.
    package let state: String
    private let authority: TestCertificateAuthority
    private var process: RunningCommand?

    /// The test CA that signed the HTTPS certificate (PEM).
    package var caFile: String { authority.caFile }

    /// Starts lighttpd serving the repositories under `projectRoot`.
    package init(projectRoot: String, user: String = "ci", password: String) throws {
        self.user = user
        self.password = password
        state = try FixtureTools.temporaryDirectory("sf-lighttpd")
        authority = try TestCertificateAuthority(in: state)
        httpPort = try Loopback.freePort()
        var tls = try Loopback.freePort()
        while tls == httpPort { tls = try Loopback.freePort() }
        httpsPort = tls
        try FixtureTools.write("\(user):\(password)\n", to: state + "/users", mode: 0o600)
        let backend = "/usr/lib/git-core/git-http-backend/"
        try FileManager.default.createDirectory(atPath: state + "/www", withIntermediateDirectories: true)
        let configuration = """
            server.modules = ("mod_alias", "mod_setenv", "mod_auth", "mod_authn_file", "mod_cgi", "mod_openssl")
            server.document-root = "\(state)/www"
            server.bind = "127.0.0.1"
            server.port = \(httpPort)
            server.errorlog = "\(state)/error.log"
            alias.url = ("/public/" => "\(backend)", "/private/" => "\(backend)")
            cgi.assign = ("" => "")
            setenv.add-environment = ("GIT_PROJECT_ROOT" => "\(projectRoot)", "GIT_HTTP_EXPORT_ALL" => "1")
            auth.backend = "plain"
            auth.backend.plain.userfile = "\(state)/users"
            auth.require = ("/private/" => ("method" => "basic", "realm" => "git", "require" => "valid-user"))
            $SERVER["socket"] == "127.0.0.1:\(httpsPort)" {
                ssl.engine = "enable"
                ssl.pemfile = "\(authority.certificateFile)"
                ssl.privkey = "\(authority.keyFile)"
            }

            """
        try FixtureTools.write(configuration, to: state + "/lighttpd.conf")
        let server = try Command.start(
            "/usr/sbin/lighttpd", ["-D", "-f", state + "/lighttpd.conf"],
            environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"], standardOutput: state + "/lighttpd.out",
            standardError: state + "/lighttpd.out")
        process = server
        try server.waitUntilListening([httpPort, httpsPort], log: state + "/lighttpd.out", name: "lighttpd")
    }

    /// The URL of repository `name`: `http` or `https`, the authenticated
    /// path or the public one. `host` may be `localhost` (the certificate's DNS name).
    package func url(_ name: String, tls: Bool = false, authenticated: Bool = true, host: String = "127.0.0.1")
        -> String
    {
        "\(tls ? "https" : "http")://\(host):\(tls ? httpsPort : httpPort)/\(authenticated ? "private" : "public")/\(name)"
    }

    /// lighttpd's error log (failed logins are logged here).
    package var errorLog: String { (try? String(contentsOfFile: state + "/error.log", encoding: .utf8)) ?? "" }

    /// Kills lighttpd, reaps it and removes its folder.
    package func stop() {
        process?.stop()
        FixtureTools.removeTree(state)
    }

    deinit { stop() }
}
