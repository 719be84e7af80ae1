import Launch
import TestSupport
import Testing

@Suite struct RunUserTests {
    @Test func numericSpecs() throws {
        #expect(try RunUser.lookup("0:0") == RunUser(uid: 0, gid: 0, groups: [0]))
        #expect(try RunUser.lookup("10001:10002") == RunUser(uid: 10001, gid: 10002, groups: [10002]))
        #expect(try RunUser.lookup("4294967295:1") == RunUser(uid: 4_294_967_295, gid: 1, groups: [1]))
    }

    @Test func namesComeFromThePasswordDatabase() throws {
        let root = try RunUser.lookup("root")
        #expect(root.uid == 0)
        #expect(root.gid == 0)
        #expect(root.groups.contains(0))
        #expect(root.name == "root")
        #expect(root.home == "/root")
    }

    @Test(arguments: ["", "a:b", "1:", ":1", "1:2:3", "-1:0", "+1:0", "4294967296:0", "nosuchuser", "1 :2"])
    func badSpecsAreRefusedByName(spec: String) {
        do {
            _ = try RunUser.lookup(spec)
            Issue.record("\"\(spec)\" was accepted")
        } catch {
            #expect(error.code == .invalidUser)
            #expect(error.description.contains("\"\(spec)\""))
        }
    }

    @Test(.requiresRoot) func currentIsTheAgent() {
        let current = RunUser.current()
        #expect(current.uid == 0)  // the tests run as root
        #expect(current.name == "root")
    }
}
