import Launch
import Testing

/// The job's `/etc/passwd`: the run user's home becomes its work directory.
@Suite struct PasswordViewTests {
    static let passwd = """
        root:x:0:0:root:/root:/bin/bash
        runner:x:10001:10001::/nonexistent:/usr/sbin/nologin
        other:x:10002:10002:Other,,,:/home/other:/bin/sh

        """

    @Test func theRunUsersHomeIsTheWorkDirectory() {
        let view = PasswordView.withHome("/work/job-1", forUID: 10001, in: Self.passwd)
        #expect(
            view == """
                root:x:0:0:root:/root:/bin/bash
                runner:x:10001:10001::/work/job-1:/usr/sbin/nologin
                other:x:10002:10002:Other,,,:/home/other:/bin/sh

                """)
    }

    @Test func nothingChangesWithoutAnEntryOrWithAnImpossibleHome() {
        // input → nil
        #expect(PasswordView.withHome("/work/job-1", forUID: 4242, in: Self.passwd) == nil)
        #expect(PasswordView.withHome("/work/a:b", forUID: 10001, in: Self.passwd) == nil)
        #expect(PasswordView.withHome("/work/a\nx:x:0:0::/:/bin/sh", forUID: 10001, in: Self.passwd) == nil)
        #expect(PasswordView.withHome("", forUID: 10001, in: Self.passwd) == nil)
        #expect(PasswordView.withHome("/w", forUID: 10001, in: "runner:x:10001:10001::/nonexistent\n") == nil)
    }
}
