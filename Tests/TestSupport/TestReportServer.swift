import Foundation

/// A real HTTP(S) server on 127.0.0.1 (Python's http.server), started by
/// the test: `/ok` answers 200, `/flaky` 503 twice then 200, `/forbidden`
/// 403, `/hang` never answers. Every request is logged for the test to read.
/// Shared by ReportDeliveryTests and EndToEndTests (the TestSupport target).
package final class TestReportServer {
    static let script = #"""
        import http.server, json, os, ssl, sys, time
        state, tls = sys.argv[1], sys.argv[2] == "tls"
        class Handler(http.server.BaseHTTPRequestHandler):
            counts = {}
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                Handler.counts[self.path] = Handler.counts.get(self.path, 0) + 1
                with open(os.path.join(state, "requests.jsonl"), "a") as log:
                    log.write(json.dumps({"path": self.path, "auth": self.headers.get("Authorization"),
                        "type": self.headers.get("Content-Type"), "body": body.decode("utf-8", "replace")}) + "\n")
                if self.path == "/hang":
                    time.sleep(3600)
                    return
                code = 200
                if self.path == "/flaky" and Handler.counts[self.path] <= 2: code = 503
                if self.path == "/forbidden": code = 403
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            def log_message(self, *args): pass
        http.server.ThreadingHTTPServer.daemon_threads = True
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(os.path.join(state, "server.pem"), os.path.join(state, "server.key"))
            server.socket = context.wrap_socket(server.socket, server_side=True)
        with open(os.path.join(state, "port.tmp"), "w") as f: f.write(str(server.server_address[1]))
        os.rename(os.path.join(state, "port.tmp"), os.path.join(state, "port"))
        server.serve_forever()
        """#

    package let state: String
    private var server: PythonServer?
    package var port: Int { server?.port ?? 0 }
    package let tls: Bool

    /// Starts the server; with `tls`, a fresh test CA signs its certificate (`caFile`).
    package init(tls: Bool = false) throws {
        self.tls = tls
        state = try FixtureTools.temporaryDirectory("sf-report")
        do {
            if tls { _ = try TestCertificateAuthority(in: state) }
            server = try PythonServer(script: Self.script, state: state, arguments: [tls ? "tls" : "plain"])
        } catch {
            stop()
            throw error
        }
    }

    package var caFile: String { state + "/ca.pem" }

    package func url(_ path: String) -> String { "\(tls ? "https" : "http")://127.0.0.1:\(port)\(path)" }

    /// The requests received so far.
    package func requests() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: state + "/requests.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Kills the server and removes its folder.
    package func stop() {
        server?.stop()
        FixtureTools.removeTree(state)
    }
}
