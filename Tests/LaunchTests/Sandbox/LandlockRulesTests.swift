import Launch
import Testing

/// The rules a job gets, as a table: read paths split around what the
/// script must never see.
@Suite struct LandlockRulesTests {
    /// A fake file system: directory → entries (symlinks already left out).
    let tree: [String: [String]] = [
        "/": ["etc", "usr", "var"],
        "/etc": ["passwd", "sf-agent", "ssl"],
        "/etc/sf-agent": ["agent.conf", "ca.pem"],
        "/var": ["cache", "lib"],
        "/var/cache": ["apt", "sf-agent"],
    ]

    func rules(readPaths: [String], excluded: [String]) -> [String] {
        LandlockRules.make(
            readPaths: readPaths, readOnly: ["/var/cache/sf-agent/checkouts/abc"], writable: ["/workspace/job-1"],
            excluded: excluded, entries: { tree[$0] }
        ).map(\.description)
    }

    @Test func writePathsAreSplitAroundExclusionsLikeReadPaths() {
        let got = LandlockRules.make(
            readPaths: [], writePaths: ["/var/"], readOnly: [], writable: [], excluded: ["/var/cache/sf-agent"],
            entries: { tree[$0] }
        ).map(\.description).dropFirst(4)
        #expect(Array(got) == ["/var/cache/apt rw", "/var/lib rw"])
    }

    @Test func devicesCheckoutAndWorkDirectoryAlwaysComeFirstAndLast() {
        #expect(
            rules(readPaths: ["/usr"], excluded: []) == [
                "/dev/null 0x4006", "/dev/zero 0x4", "/dev/random 0x4", "/dev/urandom 0x4",
                "/usr rx", "/var/cache/sf-agent/checkouts/abc rx", "/workspace/job-1 rw",
            ])
    }

    @Test func aReadPathHoldingTheConfigurationIsSplitAroundIt() {
        let got = rules(readPaths: ["/etc/"], excluded: ["/etc/sf-agent/agent.conf"]).dropFirst(4).dropLast(2)
        #expect(Array(got) == ["/etc/passwd rx", "/etc/sf-agent/ca.pem rx", "/etc/ssl rx"])
    }

    @Test func excludedTreesAndPathsUnderThemGetNothing() {
        #expect(
            Array(rules(readPaths: ["/var"], excluded: ["/var/cache/sf-agent"]).dropFirst(4).dropLast(2)) == [
                "/var/cache/apt rx", "/var/lib rx",
            ])
        #expect(rules(readPaths: ["/var/cache/sf-agent/repos"], excluded: ["/var/cache/sf-agent"]).count == 6)
        #expect(
            Array(rules(readPaths: ["/"], excluded: ["/etc/sf-agent", "/var"]).dropFirst(4).dropLast(2)) == [
                "/etc/passwd rx", "/etc/ssl rx", "/usr rx",
            ])
    }

    @Test func aSiblingWithACommonPrefixIsNotExcluded() {
        #expect(
            Array(rules(readPaths: ["/etc/ssl"], excluded: ["/etc/ss"]).dropFirst(4).dropLast(2)) == ["/etc/ssl rx"])
    }
}
