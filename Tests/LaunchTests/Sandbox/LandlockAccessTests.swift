import Launch
import Testing

@Suite struct LandlockAccessTests {
    @Test func everyRightOfTheRunningABIIsHandled() {
        #expect(LandlockAccess.handled(abi: 0) == [])
        #expect(LandlockAccess.handled(abi: 1).rawValue == 0x1fff)
        #expect(LandlockAccess.handled(abi: 2).rawValue == 0x3fff)
        #expect(LandlockAccess.handled(abi: 3).rawValue == 0x7fff)
        #expect(LandlockAccess.handled(abi: 4).rawValue == 0x7fff)
        #expect(LandlockAccess.handled(abi: 5).rawValue == 0xffff)
        #expect(LandlockAccess.handled(abi: 7).rawValue == 0xffff)
    }

    @Test func readOnlyRightsCannotChangeAnything() {
        let changing: LandlockAccess = [
            .writeFile, .removeDir, .removeFile, .makeChar, .makeDir, .makeReg, .makeSock, .makeFifo, .makeBlock,
            .makeSym, .refer, .truncate, .ioctlDev,
        ]
        #expect(LandlockAccess.readExecute.intersection(changing).isEmpty)
        #expect(!LandlockAccess.readWrite.contains(.makeChar) && !LandlockAccess.readWrite.contains(.ioctlDev))
    }
}
