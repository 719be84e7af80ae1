import Foundation
import TestSupport

/// A throwaway server written in Python, started on a free port on
/// 127.0.0.1 for one test: a stalled listener, a flaky proxy, an HTTP
/// server that always answers 401. Stopped with SIGKILL and reaped.
final class TestServer {
    let port: UInt16
    let root: String
    private let process: RunningCommand

    /// `script` receives the port as argv[1] and a scratch directory as argv[2].
    init(python script: String, arguments: [String] = []) throws {
        root = try FixtureTools.temporaryDirectory("sf-server")
        port = try Loopback.freePort()
        let file = root + "/server.py"
        try Data(script.utf8).write(to: URL(fileURLWithPath: file))
        process = try Command.start("/usr/bin/python3", [file, String(port), root] + arguments)
        let deadline = Date().addingTimeInterval(30)
        while !Loopback.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw Shell.Failure(command: ["python3", file], status: -1, stderr: "test server did not start")
            }
            usleep(20_000)
        }
    }

    /// How many connections the server counted (it appends a line per connection to `count`).
    var connections: Int {
        let text = (try? String(contentsOfFile: root + "/count", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").count
    }

    /// SIGKILL, then reap.
    func stop() { process.stop() }

    deinit {
        stop()
        FixtureTools.removeTree(root)
    }

    /// Accepts connections and never answers (the connection stays open).
    static let stalled = """
        import socket, sys, time
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
        held = []
        while True:
            c, _ = s.accept(); held.append(c)
            open(sys.argv[2] + "/count", "a").write("x\\n")
        """

    /// Resets the first `argv[3]` connections, then forwards to 127.0.0.1:`argv[4]`.
    static let flakyProxy = """
        import socket, struct, sys, threading
        port, root, failures, target = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port)); s.listen(16)
        def pipe(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d: break
                    b.sendall(d)
            except OSError: pass
            finally:
                try: b.shutdown(socket.SHUT_WR)
                except OSError: pass
        n = 0
        while True:
            c, _ = s.accept()
            if n == 0 and c.recv(1, socket.MSG_PEEK) == b"": c.close(); continue
            n += 1
            open(root + "/count", "a").write("x\\n")
            if n <= failures:
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close(); continue
            u = socket.create_connection(("127.0.0.1", target))
            threading.Thread(target=pipe, args=(c, u), daemon=True).start()
            threading.Thread(target=pipe, args=(u, c), daemon=True).start()
        """

    /// An HTTP server that answers every request with 401 and counts requests.
    static let unauthorized = """
        import http.server, sys
        root = sys.argv[2]
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                open(root + "/count", "a").write(self.headers.get("Authorization", "none") + "\\n")
                self.send_response(401); self.send_header("WWW-Authenticate", 'Basic realm="git"')
                self.send_header("Content-Length", "0"); self.end_headers()
            do_POST = do_GET
            def log_message(self, *a): pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """
}
