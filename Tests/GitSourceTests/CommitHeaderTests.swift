import Testing

@testable import GitSource

@Suite struct CommitHeaderTests {
    @Test func readsTheCommitterTimeWhateverTheZone() {
        let raw =
            "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A U Thor <a@example.com> 1600000000 +0000\n"
            + "committer C O Mitter <c@example.com> 1700000000 -0130\n\ncommitter 1 2\n"
        #expect(CommitHeader.committerTime(Array(raw.utf8)) == 1_700_000_000)
    }

    @Test func noCommitterHeaderBeforeTheMessageIsNil() {
        #expect(CommitHeader.committerTime(Array("tree x\n\ncommitter A <a> 5 +0000\n".utf8)) == nil)
        #expect(CommitHeader.committerTime(Array("committer A <a> soon +0000\n".utf8)) == nil)
    }
}

@Suite struct CheckoutStampTests {
    @Test func theStampRecordsTheCommitterTime() {
        #expect(GitCache.committerTime(inStamp: Array("tree abc\ncommitter 1700000000\n".utf8)) == 1_700_000_000)
        #expect(GitCache.committerTime(inStamp: Array("tree abc\n".utf8)) == nil)
    }
}
