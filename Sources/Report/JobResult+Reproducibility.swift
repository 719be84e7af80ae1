import AgentSystem

extension JobResult {
    /// What a run needs to be proved or run again (`sf-agent verify`,
    /// `sf-agent replay`): `result.json`'s `reproducibility`, null until the
    /// script was planned.
    package struct Reproducibility: Sendable, Equatable, Encodable {
        /// The commit's committer time: the archive's time clamp and the
        /// script's `SOURCE_DATE_EPOCH`.
        package var sourceDateEpoch: Int64?
        /// `PARAMETERS` as the job gave it (secrets masked).
        package var parameters: String
        /// `SCRIPTS_COMMIT`, when the job gave one.
        package var expectedCommit: String?
        /// The configuration values that shaped the run, and their digest.
        package var configuration: ShapingConfiguration

        package init(
            sourceDateEpoch: Int64?, parameters: String, expectedCommit: String?, configuration: ShapingConfiguration
        ) {
            self.sourceDateEpoch = sourceDateEpoch
            self.parameters = parameters
            self.expectedCommit = expectedCommit
            self.configuration = configuration
        }

        enum CodingKeys: String, CodingKey {
            case sourceDateEpoch = "source_date_epoch", parameters, expectedCommit = "expected_commit", configuration
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sourceDateEpoch, forKey: .sourceDateEpoch)
            try container.encode(parameters, forKey: .parameters)
            try container.encode(expectedCommit, forKey: .expectedCommit)
            try container.encode(configuration, forKey: .configuration)
        }
    }

    /// Configuration values (key → the value as the agent used it) and the
    /// SHA-256 of their canonical form (``canonicalText(_:)``).
    package struct ShapingConfiguration: Sendable, Equatable, Encodable {
        package var values: [String: String]
        package var sha256: String

        package init(values: [String: String]) {
            self.values = values
            sha256 = Digest.sha256(Array(Self.canonicalText(values).utf8))
        }

        /// `key=value` lines, sorted by key, each ending in a newline.
        package static func canonicalText(_ values: [String: String]) -> String {
            values.keys.sorted().map { "\($0)=\(values[$0] ?? "")\n" }.joined()
        }

        /// The keys whose values differ between `recorded` and `current`
        /// (a key only one side has counts), sorted.
        package static func differences(recorded: [String: String], current: [String: String]) -> [String] {
            Set(recorded.keys).union(current.keys).filter { recorded[$0] != current[$0] }.sorted()
        }
    }
}
