import AgentConfig
import GitSource
import Launch
import OutputCapture
import Report
import Testing

@testable import Pipeline

/// Each setting reaches its stage as the same value: no case falls back to
/// a default, and no sandbox requirement is dropped.
@Suite struct SettingConversionsTests {
    @Test(arguments: OutputFormatSetting.allCases)
    func outputFormats(setting: OutputFormatSetting) {
        #expect(LiveFormat(setting).rawValue == setting.rawValue)
    }

    @Test(arguments: SharedMemorySetting.allCases)
    func sharedMemory(setting: SharedMemorySetting) {
        #expect(SharedMemoryRequest(setting).rawValue == setting.rawValue)
    }

    @Test(arguments: SourceSettings.SignatureRequirement.allCases)
    func signatures(setting: SourceSettings.SignatureRequirement) {
        #expect(RefRequirements.Signatures(setting).rawValue == setting.rawValue)
    }

    @Test func everyLayerTheConfigurationAcceptsIsEnforced() throws {
        let layers = try SandboxLayer.required(by: AgentConfiguration.sandboxLayers)
        #expect(layers.map(\.rawValue).sorted() == AgentConfiguration.sandboxLayers.sorted())
    }

    @Test func aLayerThisBuildCannotEnforceRefusesTheJob() {
        #expect {
            _ = try SandboxLayer.required(by: ["landlock", "selinux"])
        } throws: { error in
            (error as? JobError)?.code == .configError && "\(error)".contains("\"selinux\"")
        }
    }
}
