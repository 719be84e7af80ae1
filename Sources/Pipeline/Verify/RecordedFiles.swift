import FoundationEssentials

/// The parts of a job's `result.json`, `manifest.json` and
/// `provenance.json` that `sf-agent verify` and `replay` read back.
package enum RecordedFiles {
    /// `result.json`, as far as it states digests and what ran.
    package struct Result: Decodable, Sendable {
        package struct Script: Decodable, Sendable {
            package var path: String
            package var sha256: String
        }

        package struct Artifacts: Decodable, Sendable {
            package var file: String
            package var bytes: Int
            package var sha256: String
            package var entries: Int
            package var manifest: String?
            package var fileBytes: Int

            enum CodingKeys: String, CodingKey { case file, bytes, sha256, entries, manifest, fileBytes = "file_bytes" }
        }

        package struct Configuration: Decodable, Sendable {
            package var values: [String: String]
            package var sha256: String
        }

        package struct Reproducibility: Decodable, Sendable {
            package var sourceDateEpoch: Int64?
            package var parameters: String
            package var expectedCommit: String?
            package var configuration: Configuration

            enum CodingKeys: String, CodingKey {
                case sourceDateEpoch = "source_date_epoch", parameters, expectedCommit = "expected_commit",
                    configuration
            }
        }

        package struct Integrity: Decodable, Sendable {
            package var files: [String: String]
            package var resultSHA256: String

            enum CodingKeys: String, CodingKey { case files, resultSHA256 = "result_sha256" }
        }

        package var jobID: String
        package var agentVersion: String?
        package var attempt: Int?
        package var scriptID: String?
        package var status: String
        package var exitCode: Int?
        package var agentExitCode: Int
        package var repository: String?
        package var ref: String?
        package var commit: String?
        package var script: Script?
        package var artifacts: Artifacts?
        package var reproducibility: Reproducibility?
        package var integrity: Integrity?

        enum CodingKeys: String, CodingKey {
            case jobID = "job_id", agentVersion = "agent_version", attempt, scriptID = "script_id", status, exitCode =
                "exit_code", agentExitCode = "agent_exit_code"
            case repository, ref, commit, script, artifacts, reproducibility, integrity
        }
    }

    /// `manifest.json`.
    package struct Manifest: Decodable, Sendable {
        package struct Entry: Decodable, Sendable, Equatable {
            package var path: String
            package var type: String
            package var size: Int
            package var mode: String
            package var sha256: String?
            package var target: String?

            package init(
                path: String, type: String, size: Int, mode: String, sha256: String? = nil, target: String? = nil
            ) {
                self.path = path
                self.type = type
                self.size = size
                self.mode = mode
                self.sha256 = sha256
                self.target = target
            }
        }

        package var entries: [Entry]
    }

    /// `provenance.json`: its subjects and resolved dependencies.
    package struct Provenance: Decodable, Sendable {
        package struct Digest: Decodable, Sendable {
            package var sha256: String?
            package var gitCommit: String?

            package init(sha256: String? = nil, gitCommit: String? = nil) {
                self.sha256 = sha256
                self.gitCommit = gitCommit
            }
        }

        package struct Subject: Decodable, Sendable {
            package var name: String
            package var digest: Digest

            package init(name: String, digest: Digest) {
                self.name = name
                self.digest = digest
            }
        }

        package struct Dependency: Decodable, Sendable {
            package var name: String?
            package var uri: String
            package var digest: Digest
        }

        struct Predicate: Decodable, Sendable {
            struct BuildDefinition: Decodable, Sendable {
                var resolvedDependencies: [Dependency]
            }

            var buildDefinition: BuildDefinition
        }

        package var subject: [Subject]
        var predicate: Predicate

        /// `resolvedDependencies`.
        package var dependencies: [Dependency] { predicate.buildDefinition.resolvedDependencies }
    }

    /// Decodes `bytes` as `type`, or says why not.
    package static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8])
        -> Swift.Result<Value, DecodeFailure>
    {
        do { return .success(try JSONDecoder().decode(type, from: Data(bytes))) } catch {
            return .failure(DecodeFailure(reason: "\(error)"))
        }
    }

    /// Why a recorded file could not be read as JSON of its format.
    package struct DecodeFailure: Error, Sendable {
        package var reason: String
    }
}
