import AgentConfig
import GitSource
import Launch
import OutputCapture
import Report

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
    /// The layers `sandbox.require` names. The configuration accepts only
    /// ``AgentConfiguration/sandboxLayers``; a name this build cannot enforce
    /// refuses the job rather than dropping a requirement.
    static func required(by names: [String]) throws(JobError) -> Set<SandboxLayer> {
        var layers = Set<SandboxLayer>()
        for name in names {
            guard let layer = SandboxLayer(rawValue: name) else {
                throw JobError(
                    .configError,
                    "sandbox.require names \"\(name)\", which this agent cannot enforce; "
                        + "name only \(SandboxLayer.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            layers.insert(layer)
        }
        return layers
    }
}
