import Foundation

/// A hostile smart-HTTP "git server" on 127.0.0.1 (Python's http.server),
/// for attacks on the agent's credentials. Every request is logged with
/// its `Host` and `Authorization` headers (``requests()``). Paths:
///
/// - `/offsite/<rest>`: `302` to `http://localhost:<port>/trap/<rest>`
///   (another host name for libgit2, the same process); `/otherport/<rest>`:
///   `302` to `/trap/<rest>` on a second port of 127.0.0.1 (the same host
///   for libgit2's off-site rule);
/// - `/trap/…`, `/echo/…`, `/slow/…`: `401` (basic) until a request
///   carries `Authorization`, then: `trap` answers `500` with the header
///   and the decoded password in the body; `echo` answers a ref
///   advertisement whose `ERR` line holds both (libgit2 puts it in its
///   error message); `slow` never answers (and writes `hanging`).
package final class HostileGitServer {
    static let script = #"""
        import base64, http.server, json, os, sys, threading, time
        state = sys.argv[1]
        def pkt(text):
            data = text.encode()
            return b"%04x" % (len(data) + 4) + data
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self): self.handle_any()
            def do_POST(self): self.handle_any()
            def reply(self, code, body=b"", headers=()):
                self.send_response(code)
                for name, value in headers: self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def handle_any(self):
                auth = self.headers.get("Authorization")
                with open(os.path.join(state, "requests.jsonl"), "a") as log:
                    log.write(json.dumps({"path": self.path, "host": self.headers.get("Host"), "auth": auth}) + "\n")
                kind = self.path.split("/")[1]
                if kind in ("offsite", "otherport"):
                    host, port = ("localhost", main.server_address[1]) if kind == "offsite" else ("127.0.0.1", other.server_address[1])
                    rest = self.path[len(kind) + 1:]
                    self.reply(302, headers=[("Location", "http://%s:%d/trap%s" % (host, port, rest))])
                    return
                if not auth:
                    self.reply(401, headers=[("WWW-Authenticate", 'Basic realm="git"')])
                    return
                decoded = base64.b64decode(auth.split(" ")[-1]).decode("utf-8", "replace")
                echo = "you sent %s = %s" % (auth, decoded)
                if kind == "slow":
                    open(os.path.join(state, "hanging"), "w").close()
                    time.sleep(3600)
                elif kind == "echo":
                    body = pkt("# service=git-upload-pack\n") + b"0000" + pkt("ERR " + echo + "\n")
                    self.reply(200, body, [("Content-Type", "application/x-git-upload-pack-advertisement")])
                else:
                    self.reply(500, echo.encode(), [("Content-Type", "text/plain")])
            def log_message(self, *args): pass
        http.server.ThreadingHTTPServer.daemon_threads = True
        main = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=other.serve_forever, daemon=True).start()
        with open(os.path.join(state, "port.tmp"), "w") as f: f.write(str(main.server_address[1]))
        os.rename(os.path.join(state, "port.tmp"), os.path.join(state, "port"))
        main.serve_forever()
        """#

    package let state: String
    private let server: PythonServer
    package var port: Int { server.port }

    /// Starts the server.
    package init() throws {
        state = try FixtureTools.temporaryDirectory("sf-hostile")
        server = try PythonServer(script: Self.script, state: state)
    }

    /// `http://127.0.0.1:<port>/<kind>/repo`.
    package func url(_ kind: String) -> String { "http://127.0.0.1:\(port)/\(kind)/repo" }

    /// Whether a `slow` request is being held.
    package var isHanging: Bool { FileManager.default.fileExists(atPath: state + "/hanging") }

    /// The requests received so far: `path`, `host`, `auth` (nil when absent).
    package func requests() -> [[String: String]] {
        guard let text = try? String(contentsOfFile: state + "/requests.jsonl", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?.compactMapValues {
                $0 as? String
            }
        }
    }

    /// Kills the server and removes its folder.
    package func stop() {
        server.stop()
        FixtureTools.removeTree(state)
    }

    deinit { stop() }
}
