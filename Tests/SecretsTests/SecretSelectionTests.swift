import Testing

@testable import Secrets

/// Who gets which secret, and how it is named.
@Suite struct SecretSelectionTests {
    @Test func allowRules() throws {
        let rules = try SecretSelection.parse(["deploy/*:db_*", "deploy/web:api_token", "*:shared"])
        let table: [(script: String, secret: String, allowed: Bool)] = [
            ("deploy/web", "db_password", true),
            ("deploy/web", "api_token", true),
            ("deploy/api", "api_token", false),
            ("deploy/a/b", "db_password", false),  // `*` does not cross `/`
            ("build", "shared", true),
            ("build/app", "shared", false),
            ("build", "db_password", false),
        ]
        for row in table {
            #expect(SecretSelection.allows(rules, scriptID: row.script, secret: row.secret) == row.allowed, "\(row)")
        }
        #expect(SecretSelection.allows([], scriptID: "any/thing", secret: "x"), "no rules: every secret")
    }

    @Test func malformedRulesAreRefused() {
        for entry in ["db_*", ":x", "x:", "a:b:c"] {
            #expect(throws: SecretsError.self, "\(entry)") { try SecretSelection.parse([entry]) }
        }
    }

    @Test func agentCredentialsAreNeverSelected() {
        let secrets = [
            Secret(name: "report_token", contents: Array("r".utf8), path: "/etc/hostname"),
            Secret(name: "db", contents: Array("d".utf8), path: "/etc/passwd"),
        ]
        let chosen = SecretSelection.select(secrets, for: "x", rules: [], credentialPaths: ["/etc/../etc/hostname"])
        #expect(chosen.map(\.name) == ["db"])
    }

    @Test func environmentNames() throws {
        let table: [(name: String, prefix: String, variable: String)] = [
            ("db_password", "SECRET_", "SECRET_DB_PASSWORD"),
            ("api-token.v2", "", "API_TOKEN_V2"),
            ("clé", "S_", "S_CL_"),
        ]
        for row in table {
            #expect(Secret(name: row.name, contents: [], path: "").environmentName(prefix: row.prefix) == row.variable)
        }
    }

    @Test func environmentRefusesCollisionsAndBadValues() throws {
        func secret(_ name: String, _ value: [UInt8]) -> Secret { Secret(name: name, contents: value, path: "") }
        let fine = try SecretExposure.environment([secret("a", Array("v\n".utf8))], prefix: "S_", reserved: [])
        #expect(fine == ["S_A": "v"])
        #expect(throws: SecretsError.self) {
            try SecretExposure.environment([secret("a-b", [0x41]), secret("a_b", [0x42])], prefix: "", reserved: [])
        }
        #expect(throws: SecretsError.self) {
            try SecretExposure.environment([secret("path", [0x41])], prefix: "", reserved: ["PATH"])
        }
        #expect(throws: SecretsError.self) {
            try SecretExposure.environment([secret("x", [0x41, 0, 0x42])], prefix: "", reserved: [])
        }
    }

    @Test func urlCredentials() {
        let table: [(url: String, values: [String])] = [
            ("https://bot:s3cret%21@git.example/repo.git", ["s3cret%21", "s3cret!"]),
            ("https://bot:plainpass@git.example/", ["plainpass"]),
            ("https://token@git.example/", []),
            ("git://git.example/repo", []),
            ("/srv/repo", []),
            ("https://git.example/a@b:c", []),
        ]
        for row in table { #expect(CredentialValues.ofURL(row.url) == row.values, "\(row.url)") }
    }
}
