import Foundation
import TestSupport
import Testing

/// A script that leaks its secrets every way it can: none of them reaches a
/// log, the live stream or result.json, and ordinary output is untouched.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SecretMaskingTests {
    static let secrets: [String: String] = [
        "db_password": "Sup3r-S3cret/Pass w0rd!\"",
        "api_token": "tok_9f8e7d6c5b4a3210",
        "tls_key": "-----BEGIN TEST KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8\n-----END TEST KEY-----\n",
    ]

    /// The script prints every secret plain, in base64 at three alignments
    /// (and URL-safe), URL-escaped, JSON-escaped, byte by byte with pauses on
    /// both streams, and in the middle of a 300 KB line.
    static let leaker = #"""
        set -eu
        echo "ordinary line 12345"
        for name in db_password api_token tls_key; do
          if [ -n "${SF_SECRETS_DIR:-}" ]; then value="$(cat "$SF_SECRETS_DIR/$name")"; else
            var="SECRET_$(echo "$name" | tr a-z A-Z)"; value="${!var}"; fi
          echo "plain: $value"
          printf '%s' "$value" | base64 -w0; echo
          printf 'x%s' "$value" | base64 -w0; echo
          printf 'xy%s' "$value" | base64 -w0; echo
          printf 'xy%s' "$value" | base64 -w0 | tr '+/' '-_'; echo
          python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$value"
          python3 -c 'import sys, json; print(json.dumps({"v": sys.argv[1]}))' "$value"
          for ((i = 0; i < ${#value}; i++)); do printf '%s' "${value:i:1}"; printf '%s' "${value:i:1}" >&2; sleep 0.01; done
          echo; echo >&2
          head -c 150000 /dev/zero | tr '\0' 'a'; printf '%s' "$value"; head -c 150000 /dev/zero | tr '\0' 'b'; echo
        done
        echo "ordinary end"
        exit 3
        """#

    func makeSecrets(in world: AgentWorld) throws -> String {
        let directory = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, value) in Self.secrets {
            try value.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
        }
        try "4711".write(toFile: directory + "/pin", atomically: false, encoding: .utf8)
        return directory
    }

    /// Text that must appear nowhere: each secret, each long line of it, and
    /// the neighbour-independent middle of each base64 alignment.
    func forbidden() throws -> [String] {
        var texts: [String] = []
        for value in Self.secrets.values {
            let trimmed = value.hasSuffix("\n") ? String(value.dropLast()) : value
            texts.append(trimmed)
            texts += trimmed.split(separator: "\n").map(String.init)
            for prefix in ["", "x", "xy"] {
                let encoded = Data((prefix + trimmed).utf8).base64EncodedString()
                let middle = String(encoded.dropFirst(4).dropLast(4))
                texts.append(middle)
                texts.append(middle.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
            }
            let unreserved = CharacterSet(
                charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
            texts.append(trimmed.addingPercentEncoding(withAllowedCharacters: unreserved) ?? trimmed)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            texts.append(String(String(decoding: try encoder.encode(trimmed), as: UTF8.self).dropFirst().dropLast()))
        }
        return texts
    }

    func expectNoLeak(_ text: String, _ place: String) throws {
        for secret in try forbidden() {
            #expect(!text.contains(secret), "\(place) leaks \(secret.prefix(12))…")
        }
    }

    @Test(arguments: ["env", "files"])
    func everyFormOfEverySecretIsMasked(expose: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["leak.sh": Self.leaker])
        let secretsDirectory = try makeSecrets(in: world)
        let filesRoot = world.root + "/run-secrets"
        let parameters = #"{"password": "Sup3r-S3cret/Pass w0rd!\""}"#
        let run = try world.agent(
            job: ["JOB_ID": "leak-\(expose)", "SCRIPT_ID": "leak", "PARAMETERS": parameters],
            settings: ["secrets.dir": secretsDirectory, "secrets.expose": expose, "secrets.files_dir": filesRoot])
        #expect(run.status == 3, "\(run.stderr.suffix(2000))")
        let job = "leak-\(expose)"
        let stdout = try world.readOutput(job, "stdout.log")
        let stderr = try world.readOutput(job, "stderr.log")
        let result = try world.readOutput(job, "result.json")
        try expectNoLeak(stdout, "stdout.log")
        try expectNoLeak(stderr, "stderr.log")
        try expectNoLeak(run.stdout, "the live stdout")
        try expectNoLeak(run.stderr, "the live stderr")
        try expectNoLeak(result, "result.json")
        try world.validateResult(job)

        #expect(stdout.hasPrefix("ordinary line 12345\n"), "ordinary output is untouched")
        #expect(stdout.hasSuffix("ordinary end\n"))
        #expect(stdout.contains("plain: ***\n"))
        #expect(
            stdout.contains(String(repeating: "a", count: 150_000) + "***" + String(repeating: "b", count: 150_000)),
            "a long line keeps everything but the secret")
        #expect(
            stderr.components(separatedBy: "***").count == 4, "each secret written byte by byte to stderr is one mask")
        let argv = try #require(try world.result(job)["argv"] as? [String])
        #expect(argv.suffix(2) == ["--password", "***"], "argv: \(argv)")
        #expect(run.stderr.contains("warning: Secret `pin` is only 4 bytes long"))
        #expect(!FileManager.default.fileExists(atPath: filesRoot + "/" + job), "the private secrets folder is gone")
    }

    @Test func filesAreReadableOnlyByTheRunUserAndAllowRulesApply() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "deploy/web.sh": #"""
            set -u
            ls "$SF_SECRETS_DIR" > "$SF_ARTIFACTS_DIR/names.txt"
            stat -c '%a %u' "$SF_SECRETS_DIR" "$SF_SECRETS_DIR/api_token" > "$SF_ARTIFACTS_DIR/modes.txt"
            echo "$SF_SECRETS_DIR" > "$SF_ARTIFACTS_DIR/folder.txt"
            env | cut -d= -f1 | sort > "$SF_ARTIFACTS_DIR/env.txt"
            """#
        ])
        let secretsDirectory = try makeSecrets(in: world)
        let run = try world.agent(
            job: ["JOB_ID": "files-1", "SCRIPT_ID": "deploy/web"],
            settings: [
                "secrets.dir": secretsDirectory, "secrets.expose": "files",
                "secrets.files_dir": world.root + "/run-secrets",
                "secrets.allow": "deploy/*:api_*,build/*:*",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        let extracted = try world.extractArtifacts("files-1")
        #expect(try String(contentsOfFile: extracted + "/names.txt", encoding: .utf8) == "api_token\n")
        #expect(try String(contentsOfFile: extracted + "/modes.txt", encoding: .utf8) == "500 10001\n400 10001\n")
        let folder = try String(contentsOfFile: extracted + "/folder.txt", encoding: .utf8).trimmingCharacters(
            in: .newlines)
        #expect(folder == world.root + "/run-secrets/files-1")
        #expect(!FileManager.default.fileExists(atPath: folder), "removed when the job ended")
        let names = try String(contentsOfFile: extracted + "/env.txt", encoding: .utf8)
        #expect(!names.contains("SECRET_"), "files mode sets no secret variables")
    }
}
