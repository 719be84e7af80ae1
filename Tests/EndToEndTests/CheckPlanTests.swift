import Foundation
import TestSupport
import Testing

/// `sf-agent check` prints exactly the plan `sf-agent run` executes: the
/// script's environment, secrets' variables included, and the secrets
/// folder's Landlock rule.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct CheckPlanTests {
    /// Prints the names of its environment, sorted, and whether it can read its secrets folder.
    static let script = """
        import os
        print("names " + " ".join(sorted(os.environ)))
        folder = os.environ.get("SF_SECRETS_DIR")
        if folder:
            print("secret-file " + open(os.path.join(folder, "api_token")).read().strip())
        """

    @Test(arguments: ["env", "files"])
    func checkShowsTheEnvironmentAndRulesTheScriptGets(expose: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["show.py": Self.script])
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "plan-secret-4711\n".write(toFile: secrets + "/api_token", atomically: true, encoding: .utf8)
        let filesRoot = world.root + "/run-secrets"
        let settings = ["secrets.dir": secrets, "secrets.expose": expose, "secrets.files_dir": filesRoot]
        let job = ["JOB_ID": "plan-\(expose)", "SCRIPT_ID": "show"]

        let check = try world.agent("check", job: job, settings: settings)
        #expect(check.status == 0, "\(check.stderr)")
        let run = try world.agent(job: job, settings: settings)
        #expect(run.status == 0, "\(run.stderr)")

        let planned = try #require(check.stdout.split(separator: "\n").first { $0.hasPrefix("environment  ") })
            .dropFirst("environment  ".count).split(separator: " ").map(String.init)
        let seen = try #require(
            try world.readOutput("plan-\(expose)", "stdout.log").split(separator: "\n").first { $0.hasPrefix("names ") }
        )
        .dropFirst("names ".count).split(separator: " ").map(String.init)
        #expect(planned == seen, "check: \(planned)\nrun: \(seen)")
        switch expose {
        case "env":
            #expect(planned.contains("SECRET_API_TOKEN"))
            #expect(check.stdout.contains("secrets      variables SECRET_API_TOKEN"), "\(check.stdout)")
        default:
            #expect(planned.contains("SF_SECRETS_DIR"))
            #expect(
                check.stdout.contains("secrets      files in \(filesRoot)/plan-files (SF_SECRETS_DIR)"),
                "\(check.stdout)")
            #expect(check.stdout.contains("landlock     rule \(filesRoot)/plan-files (read)"), "\(check.stdout)")
            #expect(
                try world.readOutput("plan-files", "stdout.log").contains("secret-file ***"),
                "the rule lets it read its secrets")
        }
        #expect(!check.stdout.contains("plan-secret-4711"))
    }
}
