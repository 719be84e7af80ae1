import Launch
import Testing

@Suite struct ResourceLimitsTests {
    static let configured = ResourceLimits(
        cpuSeconds: 60, memoryBytes: 1 << 30, processes: 512, openFiles: 1024, fileBytes: nil)

    @Test func limitsAboveTheAgentsOwnHardLimitAreLowered() {
        let effective = Self.configured.effective { resource in resource == 7 /* RLIMIT_NOFILE */ ? 256 : nil }
        #expect(effective.openFiles == 256)
        #expect(effective.processes == 512)
        #expect(effective.fileBytes == nil)
        let unlimited = ResourceLimits().effective { _ in 4096 }
        #expect(
            unlimited
                == ResourceLimits(
                    cpuSeconds: 4096, memoryBytes: 4096, processes: 4096, openFiles: 4096, fileBytes: 4096))
    }

    @Test func withNoCeilingNothingChanges() {
        #expect(Self.configured.effective { _ in nil } == Self.configured)
    }
}
