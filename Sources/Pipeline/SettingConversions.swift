import AgentConfig
import Artifacts
import GitSource
import Launch
import OutputCapture
import Secrets

// The configuration's enums and the stages' own, case for case: a new case on
// either side is a compile error here, never a silent default.

extension LiveFormat {
    /// `output.format`.
    init(_ setting: OutputFormatSetting) {
        switch setting {
        case .plain: self = .plain
        case .timestamped: self = .timestamped
        case .json: self = .json
        }
    }
}

extension SharedMemoryRequest {
    /// `sandbox.shm`.
    init(_ setting: SharedMemorySetting) {
        switch setting {
        case .auto: self = .auto
        case .container: self = .container
        case .none: self = .none
        }
    }
}

extension RefRequirements.Signatures {
    /// `policy.verify_signatures`.
    init(_ setting: SourceSettings.SignatureRequirement) {
        switch setting {
        case .off: self = .off
        case .commit: self = .commit
        case .tag: self = .tag
        case .either: self = .either
        }
    }
}

extension SandboxLayer {
    /// A layer `sandbox.require` names.
    init(_ setting: SandboxLayerSetting) {
        switch setting {
        case .landlock: self = .landlock
        case .seccomp: self = .seccomp
        case .network: self = .network
        case .user: self = .user
        case .containment: self = .containment
        }
    }
}

extension ArtifactCompression {
    /// `artifacts.compression`.
    init(_ setting: CompressionSetting) {
        switch setting {
        case .gzip: self = .gzip
        case .zstd: self = .zstd
        case .none: self = .none
        }
    }
}

extension SecretScan {
    /// `artifacts.scan_secrets`: no scan for `off`.
    init?(_ setting: SecretScanSetting, masker: SecretMasker) {
        switch setting {
        case .off: return nil
        case .warn: self.init(masker: masker, failOnFind: false)
        case .fail: self.init(masker: masker, failOnFind: true)
        }
    }
}

extension NetworkSetting {
    /// `sandbox.network`: whether the sandbox takes the network away (``SandboxPolicy/denyNetwork``).
    var deniesNetwork: Bool {
        switch self {
        case .host: false
        case .none: true
        }
    }
}
