import Foundation
import TestSupport
import Testing

/// The result reaches report.url; a report that cannot be delivered is
/// recorded and changes nothing else.
@Suite(.requiresRoot, .serialized, .timeLimit(.minutes(10))) struct ReportJobTests {
    @Test func resultIsPostedWithTheTokenWhichTheScriptNeverSees() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["peek.sh": #"env | cut -d= -f1 | sort > "$SF_ARTIFACTS_DIR/env.txt"; echo hello"#])
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "report-token-777\n".write(toFile: secrets + "/report_token", atomically: false, encoding: .utf8)
        try "db-password-555".write(toFile: secrets + "/db", atomically: false, encoding: .utf8)
        let server = try TestReportServer()
        defer { server.stop() }
        let run = try world.agent(
            job: ["JOB_ID": "rep", "SCRIPT_ID": "peek"],
            settings: [
                "secrets.dir": secrets, "report.url": server.url("/ok"), "report.token_file": secrets + "/report_token",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult("rep")
        let report = try #require(try world.result("rep")["report"] as? [String: Any])
        #expect(report["delivered"] as? Bool == true)
        #expect(report["attempts"] as? Int == 1)
        #expect(report["http_status"] as? Int == 200)
        let request = try #require(server.requests().first)
        #expect(request["auth"] as? String == "Bearer report-token-777")
        let body = try #require(
            try JSONSerialization.jsonObject(with: Data((request["body"] as? String ?? "").utf8)) as? [String: Any])
        #expect(body["job_id"] as? String == "rep")
        #expect(body["status"] as? String == "succeeded")
        let names = try String(contentsOfFile: try world.extractArtifacts("rep") + "/env.txt", encoding: .utf8)
        #expect(names.contains("SECRET_DB\n"), "an ordinary secret is given")
        #expect(!names.contains("REPORT_TOKEN"), "the agent's own credential is not")
        #expect(run.stderr.contains("report: delivered"))
    }

    /// Whoever sets the agent's environment cannot route the report, and
    /// its token, through a proxy of their own: proxy variables are ignored.
    @Test func theReportNeverGoesThroughAProxyFromTheEnvironment() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo fine"])
        let token = world.root + "/report_token"
        try "report-token-proxy\n".write(toFile: token, atomically: false, encoding: .utf8)
        chmod(token, 0o600)
        let proxy = try TestReportServer()
        defer { proxy.stop() }
        let proxyURL = "http://127.0.0.1:\(proxy.port)"
        let run = try world.agent(
            job: [
                "JOB_ID": "proxied", "SCRIPT_ID": "ok", "http_proxy": proxyURL, "HTTPS_PROXY": proxyURL,
                "ALL_PROXY": proxyURL,
            ],
            settings: [
                "report.url": "http://reports.invalid:8080/results", "report.token_file": token, "report.timeout": "2s",
                "report.attempts": "1",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(proxy.requests().isEmpty, "the proxy got \(proxy.requests())")
        let report = try #require(try world.result("proxied")["report"] as? [String: Any])
        #expect(
            report["delivered"] as? Bool == false, "reports.invalid does not resolve: only a proxy could have taken it")
    }

    /// libcurl and the twenty libraries it brings are mapped only by a job
    /// that reports (the dynamic loader's own account, LD_DEBUG=files).
    @Test func libcurlIsLoadedOnlyWhenTheJobReports() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo fine"])
        let server = try TestReportServer()
        defer { server.stop() }
        func loadsLibcurl(_ job: String, _ settings: [String: String]) throws -> Bool {
            let trace = world.root + "/ld-\(job)"
            let run = try world.agent(
                job: ["JOB_ID": job, "SCRIPT_ID": "ok", "LD_DEBUG": "files", "LD_DEBUG_OUTPUT": trace],
                settings: settings)
            #expect(run.status == 0, "\(run.stderr)")
            let traces = try FileManager.default.contentsOfDirectory(atPath: world.root).filter {
                $0.hasPrefix("ld-\(job).")
            }
            #expect(!traces.isEmpty, "the loader wrote no trace")
            return try traces.contains {
                try String(contentsOfFile: world.root + "/" + $0, encoding: .utf8).contains("libcurl")
            }
        }
        #expect(try !loadsLibcurl("quiet", [:]), "a job without report.url loaded libcurl")
        #expect(try loadsLibcurl("reporting", ["report.url": server.url("/ok")]))
        #expect(try world.result("reporting")["report"].flatMap { $0 as? [String: Any] }?["delivered"] as? Bool == true)
    }

    @Test func anEndpointThatNeverAnswersLeavesTheJobAsItWas() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["ok.sh": "echo fine"])
        let server = try TestReportServer()
        defer { server.stop() }
        let run = try world.agent(
            job: ["JOB_ID": "hang", "SCRIPT_ID": "ok"],
            settings: ["report.url": server.url("/hang"), "report.timeout": "700ms", "report.attempts": "2"])
        #expect(run.status == 0, "the exit code is the script's: \(run.stderr)")
        try world.validateResult("hang")
        let result = try world.result("hang")
        #expect(result["status"] as? String == "succeeded")
        let report = try #require(result["report"] as? [String: Any])
        #expect(report["delivered"] as? Bool == false)
        #expect(report["attempts"] as? Int == 2)
        #expect((report["error"] as? String)?.contains("Gave up after 2 attempts") == true)
        #expect(run.stderr.contains("The report was not delivered"))
    }
}
