import AgentConfig
import Artifacts
import GitSource
import Launch
import OutputCapture
import Secrets
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

    @Test func everyLayerTheConfigurationAcceptsIsEnforced() {
        let layers = Set(SandboxLayerSetting.allCases.map(SandboxLayer.init))
        #expect(layers.map(\.rawValue).sorted() == SandboxLayerSetting.allCases.map(\.rawValue).sorted())
    }

    @Test func aLayerThisBuildCannotEnforceRefusesTheConfiguration() {
        #expect {
            _ = try AgentConfiguration(
                values: ConfigLayers.merge(
                    file: [:], environment: [:],
                    flags: ["repo.url": "/srv/scripts", "sandbox.require": "landlock,selinux"]))
        } throws: { error in
            "\(error)".contains("`sandbox.require`")
                && "\(error)".contains("landlock, seccomp, network, user, containment")
        }
    }

    @Test(arguments: CompressionSetting.allCases)
    func compression(setting: CompressionSetting) {
        #expect(ArtifactCompression(setting).rawValue == setting.rawValue)
    }

    @Test func secretScans() {
        let masker = SecretMasker(values: [], names: [])
        #expect(SecretScan(.off, masker: masker) == nil)
        #expect(SecretScan(.warn, masker: masker)?.failOnFind == false)
        #expect(SecretScan(.fail, masker: masker)?.failOnFind == true)
    }

    @Test func network() {
        #expect(NetworkSetting.host.deniesNetwork == false)
        #expect(NetworkSetting.none.deniesNetwork)
    }
}
