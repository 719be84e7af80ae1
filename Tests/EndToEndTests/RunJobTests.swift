import Foundation
import TestSupport
import Testing

/// The real `sf-agent run`, as root, against a real git repository.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct RunJobTests {
    @Test func scriptRunsAsTheRunUserAndItsArtifactsAreArchived() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit([
            "ops/identity.sh": """
            set -eu
            echo "hello from $JOB_ID"
            echo "to stderr" >&2
            grep -E '^(Uid|Gid|Groups):' /proc/self/status > "$SF_ARTIFACTS_DIR/identity.txt"
            mkdir -p "$SF_ARTIFACTS_DIR/nested/deeper"
            printf 'pwd=%s\\nhome=%s\\nwork=%s\\n' "$PWD" "$HOME" "$SF_WORK_DIR" > "$SF_ARTIFACTS_DIR/nested/deeper/env.txt"
            ln -s /etc/passwd "$SF_ARTIFACTS_DIR/link-to-passwd"
            env | cut -d= -f1 | sort > "$SF_ARTIFACTS_DIR/env-names.txt"
            """
        ])
        let run = try world.agent(job: ["JOB_ID": "job-1", "SCRIPT_ID": "ops/identity"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("hello from job-1"), "the script's stdout reaches the agent's stdout")
        #expect(run.stderr.contains("to stderr"))
        #expect(try world.readOutput("job-1", "stdout.log") == "hello from job-1\n")
        #expect(try world.readOutput("job-1", "stderr.log") == "to stderr\n")

        try world.validateResult("job-1")
        let result = try world.result("job-1")
        #expect(result["status"] as? String == "succeeded")
        #expect(result["exit_code"] as? Int == 0)
        #expect(result["commit"] as? String == commit)
        #expect(result["ref"] as? String == "main")
        #expect(result["repository"] as? String == world.repository)
        #expect(result["job_id"] as? String == "job-1")
        #expect(result["script_id"] as? String == "ops/identity")
        let user = try #require(result["user"] as? [String: Any])
        #expect(user["uid"] as? Int == 10001)
        #expect(user["gid"] as? Int == 10001)
        #expect(user["groups"] as? [Int] == [10001])
        let script = try #require(result["script"] as? [String: Any])
        #expect(script["path"] as? String == "ops/identity.sh")
        let expectedDigest = try Command.check("/usr/bin/sha256sum", [world.repository + "/ops/identity.sh"]).prefix(64)
        #expect(script["sha256"] as? String == String(expectedDigest))
        let argv = try #require(result["argv"] as? [String])
        #expect(argv.first?.hasSuffix("/bash") == true)
        #expect(argv.last == world.cache + "/checkouts/\(commit)/ops/identity.sh")
        let durations = try #require(result["durations_ms"] as? [String: Any])
        for phase in ["fetch", "checkout", "run", "archive"] { #expect(durations[phase] is Int, "\(phase)") }

        // The archive holds exactly what the script wrote, read back with GNU tar.
        #expect(
            try world.listArtifacts("job-1") == [
                "env-names.txt", "identity.txt", "link-to-passwd", "nested", "nested/deeper", "nested/deeper/env.txt",
            ])
        let extracted = try world.extractArtifacts("job-1")
        let identity = try String(contentsOfFile: extracted + "/identity.txt", encoding: .utf8)
        #expect(identity.contains("Uid:\t10001\t10001\t10001\t10001"))
        #expect(identity.contains("Gid:\t10001\t10001\t10001\t10001"))
        #expect(
            identity.contains("Groups:\t10001 \n") || identity.contains("Groups:\t10001\n"),
            "only the run user's own group: \(identity)")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: extracted + "/link-to-passwd") == "/etc/passwd")
        let env = try String(contentsOfFile: extracted + "/nested/deeper/env.txt", encoding: .utf8)
        #expect(env == "pwd=\(world.work)/job-1\nhome=\(world.work)/job-1\nwork=\(world.work)/job-1\n")
        let names = try String(contentsOfFile: extracted + "/env-names.txt", encoding: .utf8).split(separator: "\n")
        #expect(
            Set(names).isSuperset(of: [
                "HOME", "JOB_ID", "LANG", "PATH", "SCRIPT_ID", "SF_ARTIFACTS_DIR", "SF_COMMIT", "SF_PARAMETERS_FILE",
                "SF_WORK_DIR",
            ]))
        #expect(!names.contains("SF_CONFIG"), "the agent's environment does not leak into the script")

        let artifacts = try #require(result["artifacts"] as? [String: Any])
        #expect(artifacts["file"] as? String == "artifacts.tar.gz")
        #expect(artifacts["entries"] as? Int == 6)
        let archivePath = world.outputFolder("job-1") + "/artifacts.tar.gz"
        #expect(
            artifacts["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: archivePath)[.size] as? Int)
        )
        #expect(
            artifacts["sha256"] as? String == String(try Command.check("/usr/bin/sha256sum", [archivePath]).prefix(64)))
        #expect(
            !FileManager.default.fileExists(atPath: world.work + "/job-1"),
            "the work directory is removed once archived")
    }

    @Test func hostileScriptCannotChangeTheCheckout() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "victim.txt": "original\n",
            "sub/inner.txt": "inner\n",
            "attack.sh": """
            cd "$(dirname "$0")"
            try() { if "$@" 2>/dev/null; then echo "SUCCEEDED: $*"; else echo "refused: $*"; fi; }
            try sh -c 'echo owned > victim.txt'
            try sh -c 'echo owned >> victim.txt'
            try truncate -s 0 victim.txt
            try rm -f victim.txt
            try mv victim.txt moved.txt
            try chmod 666 victim.txt
            try sh -c 'chmod u+w victim.txt && echo owned > victim.txt'
            try touch created.txt
            try mkdir newdir
            try rm -rf sub
            try ln -s /etc/shadow link
            try touch sub/new.txt
            try chmod u+w .
            """,
        ])
        let run = try world.agent(job: ["JOB_ID": "attack", "SCRIPT_ID": "attack"])
        #expect(run.status == 0, "\(run.stderr)")
        let log = try world.readOutput("attack", "stdout.log")
        #expect(!log.contains("SUCCEEDED"), "\(log)")
        #expect(log.components(separatedBy: "refused:").count - 1 == 13, "\(log)")
        let commit = try world.git("rev-parse", "HEAD")
        let checkout = world.cache + "/checkouts/" + commit
        #expect(try String(contentsOfFile: checkout + "/victim.txt", encoding: .utf8) == "original\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: checkout).sorted() == [
                "attack.sh", "sub", "victim.txt",
            ])
    }

    @Test func trickyParametersArriveByteForByte() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "argv.py": """
            import json, os, sys
            with open(os.path.join(os.environ["SF_ARTIFACTS_DIR"], "argv.json"), "w", encoding="utf-8") as f:
                json.dump(sys.argv[1:], f)
            with open(os.environ["SF_PARAMETERS_FILE"], encoding="utf-8") as src, open(os.path.join(os.environ["SF_ARTIFACTS_DIR"], "parameters.json"), "w", encoding="utf-8") as dst:
                dst.write(src.read())
            """
        ])
        let parameters = #"""
            {"spaces": "a b  c", "quotes": "it's \"quoted\"", "semi": "x; rm -rf /", "subst": "$(id) `id` ${HOME}",
             "newline": "line1\nline2", "dash": "-rf", "unicode": "ünï 日本 😀", "empty": "", "number": 1.50,
             "flag": true, "off": false, "gone": null, "list": ["a", "b c"], "star": "*"}
            """#
        let run = try world.agent(job: ["JOB_ID": "tricky", "SCRIPT_ID": "argv", "PARAMETERS": parameters])
        #expect(run.status == 0, "\(run.stderr)")
        let extracted = try world.extractArtifacts("tricky")
        let data = try Data(contentsOf: URL(fileURLWithPath: extracted + "/argv.json"))
        let received = try JSONSerialization.jsonObject(with: data) as? [String]
        #expect(
            received == [
                "--spaces", "a b  c", "--quotes", "it's \"quoted\"", "--semi", "x; rm -rf /", "--subst",
                "$(id) `id` ${HOME}",
                "--newline", "line1\nline2", "--dash=-rf", "--unicode", "ünï 日本 😀", "--empty", "", "--number", "1.50",
                "--flag", "true", "--off", "false", "--list", "a", "--list", "b c", "--star", "*",
            ])
        #expect(try String(contentsOfFile: extracted + "/parameters.json", encoding: .utf8) == parameters)
        let argv = try #require(try world.result("tricky")["argv"] as? [String])
        #expect(argv.suffix(4) == ["--list", "b c", "--star", "*"])
    }

    @Test func exitCodeAndSignalArePassedThrough() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["fail.sh": "echo failing; exit 3\n", "die.sh": "kill -KILL $$\n"])
        let failed = try world.agent(job: ["JOB_ID": "fail", "SCRIPT_ID": "fail"])
        #expect(failed.status == 3)
        try world.validateResult("fail")
        let failedResult = try world.result("fail")
        #expect(failedResult["status"] as? String == "failed")
        #expect(failedResult["exit_code"] as? Int == 3)
        #expect(failedResult["artifacts"] is [String: Any], "a failed job still gets its archive")

        let died = try world.agent(job: ["JOB_ID": "die", "SCRIPT_ID": "die"])
        #expect(died.status == 128 + 9)
        try world.validateResult("die")
        let diedResult = try world.result("die")
        #expect(diedResult["status"] as? String == "failed")
        #expect(diedResult["signal"] as? String == "SIGKILL")
        #expect(diedResult["exit_code"] is NSNull)
    }

    @Test func scriptThatOutlivesTheTimeoutIsKilled() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "slow.sh": """
            trap '' TERM
            echo started
            echo partial > "$SF_ARTIFACTS_DIR/partial.txt"
            sleep 600 & wait
            sleep 600
            """
        ])
        let started = Date()
        let run = try world.agent(
            job: ["JOB_ID": "slow", "SCRIPT_ID": "slow"], settings: ["run.timeout": "1s", "run.kill_grace": "1s"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(run.status == 124, "\(run.stderr)")
        #expect(elapsed < 60, "the agent stopped a script that ignores SIGTERM (took \(elapsed) s)")
        try world.validateResult("slow")
        let result = try world.result("slow")
        #expect(result["status"] as? String == "timed_out")
        #expect((result["error"] as? [String: Any])?["code"] as? String == "timed_out")
        #expect(try world.listArtifacts("slow") == ["partial.txt"], "artifacts are archived after a timeout")
        #expect(try world.readOutput("slow", "stdout.log") == "started\n")
    }

    @Test func pinnedCommitRunsFromTheCacheWhenTheServerIsGone() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit(["hello.sh": "echo pinned\n"])
        let first = try world.agent(job: ["JOB_ID": "pin-1", "SCRIPT_ID": "hello"], settings: ["repo.ref": commit])
        #expect(first.status == 0, "\(first.stderr)")
        try FileManager.default.moveItem(atPath: world.repository, toPath: world.root + "/repo-gone")
        let second = try world.agent(job: ["JOB_ID": "pin-2", "SCRIPT_ID": "hello"], settings: ["repo.ref": commit])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try world.readOutput("pin-2", "stdout.log") == "pinned\n")
        #expect(try world.result("pin-2")["commit"] as? String == commit)
    }

    @Test func jobRefIsUsedWhenPolicyAllowsIt() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["which.sh": "echo main\n"])
        try world.git("checkout", "-q", "-b", "release/1")
        let release = try world.commit(["which.sh": "echo release\n"])
        try world.git("checkout", "-q", "main")
        let run = try world.agent(
            job: ["JOB_ID": "ref", "SCRIPT_ID": "which", "SCRIPTS_REF": "release/1"],
            settings: ["policy.allowed_refs": "release/*"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try world.readOutput("ref", "stdout.log") == "release\n")
        #expect(try world.result("ref")["commit"] as? String == release)
    }
}
