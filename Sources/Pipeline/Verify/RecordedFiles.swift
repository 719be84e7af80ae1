import FoundationEssentials

/// The parts of a job's `result.json`, `manifest.json` and
/// `provenance.json` that `sf-agent verify` and `replay` read back.
public enum RecordedFiles {
    /// `result.json`, as far as it states digests and what ran.
    public struct Result: Decodable, Sendable {
        public struct Script: Decodable, Sendable {
            public var path: String
            public var sha256: String
        }

        public struct Artifacts: Decodable, Sendable {
            public var file: String
            public var bytes: Int
            public var sha256: String
            public var entries: Int
            public var manifest: String?
            public var fileBytes: Int

            enum CodingKeys: String, CodingKey { case file, bytes, sha256, entries, manifest, fileBytes = "file_bytes" }
        }

        public struct Configuration: Decodable, Sendable {
            public var values: [String: String]
            public var sha256: String
        }

        public struct Reproducibility: Decodable, Sendable {
            public var sourceDateEpoch: Int64?
            public var parameters: String
            public var expectedCommit: String?
            public var configuration: Configuration

            enum CodingKeys: String, CodingKey {
                case sourceDateEpoch = "source_date_epoch", parameters, expectedCommit = "expected_commit", configuration
            }
        }

        public struct Integrity: Decodable, Sendable {
            public var files: [String: String]
            public var resultSHA256: String

            enum CodingKeys: String, CodingKey { case files, resultSHA256 = "result_sha256" }
        }

        public var jobID: String
        public var agentVersion: String?
        public var attempt: Int?
        public var scriptID: String?
        public var status: String
        public var exitCode: Int?
        public var agentExitCode: Int
        public var repository: String?
        public var ref: String?
        public var commit: String?
        public var script: Script?
        public var artifacts: Artifacts?
        public var reproducibility: Reproducibility?
        public var integrity: Integrity?

        enum CodingKeys: String, CodingKey {
            case jobID = "job_id", agentVersion = "agent_version", attempt, scriptID = "script_id", status, exitCode = "exit_code", agentExitCode = "agent_exit_code"
            case repository, ref, commit, script, artifacts, reproducibility, integrity
        }
    }

    /// `manifest.json`.
    public struct Manifest: Decodable, Sendable {
        public struct Entry: Decodable, Sendable, Equatable {
            public var path: String
            public var type: String
            public var size: Int
            public var mode: String
            public var sha256: String?
            public var target: String?

            public init(path: String, type: String, size: Int, mode: String, sha256: String? = nil, target: String? = nil) {
                self.path = path
                self.type = type
                self.size = size
                self.mode = mode
                self.sha256 = sha256
                self.target = target
            }
        }

        public var entries: [Entry]
    }

    /// `provenance.json`: its subjects and resolved dependencies.
    public struct Provenance: Decodable, Sendable {
        public struct Digest: Decodable, Sendable {
            public var sha256: String?
            public var gitCommit: String?

            public init(sha256: String? = nil, gitCommit: String? = nil) {
                self.sha256 = sha256
                self.gitCommit = gitCommit
            }
        }

        public struct Subject: Decodable, Sendable {
            public var name: String
            public var digest: Digest

            public init(name: String, digest: Digest) {
                self.name = name
                self.digest = digest
            }
        }

        public struct Dependency: Decodable, Sendable {
            public var name: String?
            public var uri: String
            public var digest: Digest
        }

        struct Predicate: Decodable, Sendable {
            struct BuildDefinition: Decodable, Sendable {
                var resolvedDependencies: [Dependency]
            }

            var buildDefinition: BuildDefinition
        }

        public var subject: [Subject]
        var predicate: Predicate

        /// `resolvedDependencies`.
        public var dependencies: [Dependency] { predicate.buildDefinition.resolvedDependencies }
    }

    /// Decodes `bytes` as `type`, or says why not.
    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) -> Swift.Result<Value, DecodeFailure> {
        do { return .success(try JSONDecoder().decode(type, from: Data(bytes))) } catch {
            return .failure(DecodeFailure(reason: "\(error)"))
        }
    }

    /// Why a recorded file could not be read as JSON of its format.
    public struct DecodeFailure: Error, Sendable {
        public var reason: String
    }
}
