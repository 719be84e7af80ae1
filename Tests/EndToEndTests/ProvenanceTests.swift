import Foundation
import TestSupport
import Testing

/// provenance.json: an in-toto Statement v1 with a SLSA Provenance v1
/// predicate, enough to run the same script at the same commit again.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct ProvenanceTests {
    @Test func statementValidatesAndNamesEverythingNeededToRerun() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let commit = try world.commit([
            "build.sh": #"""
            mkdir -p "$SF_ARTIFACTS_DIR/out"
            printf 'alpha\n' > "$SF_ARTIFACTS_DIR/out/a.txt"
            printf 'beta\n' > "$SF_ARTIFACTS_DIR/b.txt"
            """#
        ])
        let secrets = world.root + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "provenance-secret-9".write(toFile: secrets + "/key", atomically: false, encoding: .utf8)
        let run = try world.agent(
            job: [
                "JOB_ID": "prov", "SCRIPT_ID": "build",
                "SF_RUNNER_IMAGE": "registry.example/runner@sha256:" + String(repeating: "ab", count: 32),
                "PARAMETERS": #"{"target": "web", "count": 1.50, "token": "provenance-secret-9", "tags": ["x", "y"]}"#,
            ],
            settings: ["secrets.dir": secrets])
        #expect(run.status == 0, "\(run.stderr)")

        let path = world.outputFolder("prov") + "/provenance.json"
        let validate = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(open(sys.argv[2])))
            """
        try Command.check(
            "/usr/bin/python3", ["-c", validate, AgentWorld.projectRoot + "/docs/provenance.schema.json", path])

        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("provenance-secret-9"), "parameters are masked")
        let statement = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let subjects = try #require(statement["subject"] as? [[String: Any]])
        let digests = Dictionary(
            uniqueKeysWithValues: subjects.map {
                ($0["name"] as? String ?? "", ($0["digest"] as? [String: String])?["sha256"] ?? "")
            })
        let archive = world.outputFolder("prov") + "/artifacts.tar.gz"
        #expect(digests["artifacts.tar.gz"] == String(try Command.check("/usr/bin/sha256sum", [archive]).prefix(64)))
        let extracted = try world.extractArtifacts("prov")
        for name in ["out/a.txt", "b.txt"] {
            #expect(
                digests[name] == String(try Command.check("/usr/bin/sha256sum", [extracted + "/" + name]).prefix(64)),
                "\(name)")
        }
        #expect(digests.count == 3)

        let predicate = try #require(statement["predicate"] as? [String: Any])
        let definition = try #require(predicate["buildDefinition"] as? [String: Any])
        let external = try #require(definition["externalParameters"] as? [String: Any])
        #expect(external["repository"] as? String == world.repository)
        #expect(external["ref"] as? String == "main")
        #expect(external["script_id"] as? String == "build")
        let parameters = try #require(external["parameters"] as? [String: Any])
        #expect(parameters["target"] as? String == "web")
        #expect(parameters["token"] as? String == "***")
        #expect(parameters["tags"] as? [String] == ["x", "y"])
        #expect(text.contains("\"count\": 1.50"), "numbers keep their spelling")
        let dependencies = try #require(definition["resolvedDependencies"] as? [[String: Any]])
        #expect((dependencies[0]["digest"] as? [String: String])?["gitCommit"] == commit)
        let scriptDigest = String(try Command.check("/usr/bin/sha256sum", [world.repository + "/build.sh"]).prefix(64))
        #expect((dependencies[1]["digest"] as? [String: String])?["sha256"] == scriptDigest)
        #expect((dependencies[1]["uri"] as? String)?.hasSuffix("@\(commit)#build.sh") == true)
        let internals = try #require(definition["internalParameters"] as? [String: Any])
        #expect((internals["runner_image"] as? String)?.hasPrefix("registry.example/runner@sha256:") == true)
        #expect(internals["job_id"] as? String == "prov")
    }
}
