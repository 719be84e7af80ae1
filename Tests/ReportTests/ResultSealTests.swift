import Testing

@testable import Report

@Suite struct ResultSealTests {
    func sealedResult() throws -> [UInt8] {
        var result = JobResult(
            jobID: "j", scriptID: "s", status: .succeeded, startedAt: "a", finishedAt: "b", agentVersion: "0",
            agentExitCode: 0)
        result.integrity = JobResult.Integrity(files: ["stdout.log": String(repeating: "a", count: 64)])
        return ResultSeal.seal(try result.jsonBytes())
    }

    @Test func aSealedResultChecksOut() throws {
        let sealed = try sealedResult()
        let check = try #require(ResultSeal.check(sealed))
        #expect(check.recorded == check.computed)
        #expect(check.recorded != ResultSeal.placeholder)
    }

    @Test func anyChangedByteIsCaught() throws {
        let sealed = try sealedResult()
        for index in stride(from: 0, to: sealed.count, by: 7) {
            var changed = sealed
            changed[index] ^= 0x01
            if let check = ResultSeal.check(changed) {
                #expect(check.recorded != check.computed, "byte \(index)")
            }  // nil: the key itself was changed, which verify reports too
        }
    }

    @Test func withoutIntegrityNothingIsSealed() throws {
        let result = JobResult(
            jobID: "j", scriptID: "s", status: .succeeded, startedAt: "a", finishedAt: "b", agentVersion: "0",
            agentExitCode: 0)
        let bytes = try result.jsonBytes()
        #expect(ResultSeal.seal(bytes) == bytes)
        #expect(ResultSeal.check(bytes) == nil)
    }
}

@Suite struct ShapingConfigurationTests {
    @Test func theDigestCoversKeysAndValuesInOrder() {
        let one = JobResult.ShapingConfiguration(values: ["a": "1", "b": "2"])
        #expect(one.sha256 == JobResult.ShapingConfiguration(values: ["b": "2", "a": "1"]).sha256)
        #expect(one.sha256 != JobResult.ShapingConfiguration(values: ["a": "1", "b": "3"]).sha256)
        #expect(JobResult.ShapingConfiguration.canonicalText(["b": "2", "a": "1"]) == "a=1\nb=2\n")
    }

    @Test func differencesNameEveryKeyThatChangedOrIsOnOneSideOnly() {
        let differences = JobResult.ShapingConfiguration.differences(
            recorded: ["a": "1", "b": "2", "c": "3"], current: ["a": "1", "b": "9", "d": "4"])
        #expect(differences == ["b", "c", "d"])
    }
}
