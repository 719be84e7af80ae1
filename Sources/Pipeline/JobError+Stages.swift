import AgentConfig
import AgentSystem
import Artifacts
import ConfigKeys
import GitSource
import JobInput
import Launch
import Policy
import Report
import Secrets

/// The one conversion of each stage's error into the job's: which
/// ``JobError/Code`` (and so which status and exit code) each failure
/// implies. Every switch names every code, so a code added to a stage does
/// not compile until it is mapped here.
extension JobError {
    /// A stage's error under its own mapping, its message as it is.
    package init(_ error: JobInputError) { self.init(.invalidJob, error.message) }

    package init(_ error: ConfigError) { self.init(.configError, error.message) }

    package init(_ error: PolicyViolation) { self.init(.policyViolation, error.message, rule: error.rule) }

    package init(_ error: ScriptDigests.ParseError) {
        self.init(.configError, error.message, rule: .key(.policyScriptDigests))
    }

    package init(_ error: SourceError) {
        self.init(Self.code(for: error.code), error.message, rule: error.rule.map(RuleName.key))
    }

    package init(_ error: ScriptResolutionError) {
        let code: Code =
            switch error.code {
            case .notFound: .scriptNotFound
            case .escapesCheckout, .notRegularFile, .unreadable: .scriptRefused
            }
        self.init(code, error.message)
    }

    package init(_ error: InterpreterError) { self.init(.launchError, error.message) }

    package init(_ error: LaunchError) { self.init(.launchError, error.message) }

    package init(_ error: SecretsError) {
        let code: Code =
            switch error.code {
            case .filesFailed: .outputError
            case .unreadable, .tooLarge, .notExposable, .invalidRule: .configError
            }
        self.init(code, error.message)
    }

    package init(_ error: ArtifactError) {
        switch error.code {
        case .limitExceeded: self.init(.artifactsRejected, error.message, rule: error.excess.map { .key($0.key) })
        case .secretFound: self.init(.artifactsRejected, error.message, rule: .key(.artifactsScanSecrets))
        case .notADirectory, .unreadableArtifact, .artifactChanged, .invalidOptions, .writeFailed, .publishFailed,
            .readerFailed:
            self.init(.outputError, error.message)
        }
    }

    /// The job error code of each source failure.
    package static func code(for code: SourceError.Code) -> Code {
        switch code {
        case .invalidRef: .invalidJob
        case .lockTimeout: .cacheBusy
        case .credentialsFailed: .configError
        case .cancelled: .cancelled
        case .refused: .policyViolation
        case .fetchFailed, .refNotFound, .notACommit, .checkoutFailed, .cacheFailed, .cacheDamaged,
            .verificationFailed:
            .sourceError
        }
    }
}
