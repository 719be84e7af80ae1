import AgentConfig
import Artifacts
import ConfigKeys
import GitSource
import JobInput
import Launch
import Pipeline
import Policy
import Report
import Secrets
import Testing

/// Each stage's error becomes the job's in one place: the code (and so the
/// status and exit code), the rule, and the message kept as written.
@Suite struct JobErrorConversionTests {
    @Test func sourceErrors() {
        let table: [(SourceError.Code, JobError.Code)] = [
            (.invalidRef, .invalidJob), (.fetchFailed, .sourceError), (.refNotFound, .sourceError),
            (.notACommit, .sourceError), (.checkoutFailed, .sourceError), (.cacheFailed, .sourceError),
            (.cacheDamaged, .sourceError), (.lockTimeout, .cacheBusy), (.credentialsFailed, .configError),
            (.cancelled, .cancelled), (.refused, .policyViolation), (.verificationFailed, .sourceError),
        ]
        #expect(table.count == SourceError.Code.allCases.count)
        for (code, expected) in table {
            let converted = JobError(SourceError(code, "The ref \"main\" does not exist.", rule: .repoRef))
            #expect(converted.code == expected, "\(code)")
            #expect(converted.message == "The ref \"main\" does not exist.")
            #expect(converted.rule == .key(.repoRef))
        }
    }

    @Test func scriptAndSecretsErrors() {
        for code in ScriptResolutionError.Code.allCases {
            let converted = JobError(ScriptResolutionError(code: code, message: "Script x.sh: \(code)."))
            #expect(converted.code == (code == .notFound ? .scriptNotFound : .scriptRefused), "\(code)")
        }
        for code in SecretsError.Code.allCases {
            let converted = JobError(SecretsError(code, "Secret x: \(code)."))
            #expect(converted.code == (code == .filesFailed ? .outputError : .configError), "\(code)")
        }
    }

    @Test func artifactErrorsNameTheirRule() {
        var limit = ArtifactError(code: .limitExceeded, path: "/output/j", reason: "Too big.")
        limit.excess = LimitExcess(key: .artifactsMaxBytes, limit: 1, actual: 2)
        #expect(JobError(limit).code == .artifactsRejected)
        #expect(JobError(limit).rule == .key(.artifactsMaxBytes))
        let secret = ArtifactError(code: .secretFound, path: "/output/j", reason: "A secret.")
        #expect(JobError(secret).rule == .key(.artifactsScanSecrets))
        let write = ArtifactError(
            code: .writeFailed, path: "/output/j/artifacts.tar", reason: "No space left on device")
        #expect(JobError(write).code == .outputError)
        #expect(
            JobError(write).message
                == "Cannot write the artifacts archive /output/j/artifacts.tar: No space left on device.")
    }

    @Test func oneCodePerStage() {
        #expect(JobError(JobInputError(.jobID, reason: "is not set.")).code == .invalidJob)
        #expect(JobError(JobInputError(.jobID, reason: "is not set.")).message == "JOB_ID: is not set.")
        #expect(JobError(ConfigError.fileNotFound(path: "/etc/a.conf")).code == .configError)
        let violation = PolicyViolation(
            .notAllowed, rule: .key(.policyAllowedScripts), message: "Script `x` is not allowed.")
        #expect(JobError(violation).code == .policyViolation)
        #expect(JobError(violation).rule == .key(.policyAllowedScripts))
    }
}
