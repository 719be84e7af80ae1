/// The job's own view of the password database, shown as `/etc/passwd` in
/// its mount namespace: the run user's home is the job's work directory,
/// as `HOME` says. Tools that ask the database rather than `HOME` (`ssh`
/// for `~/.ssh`, Ansible expanding `~runner` for its temporary folders)
/// then find a home they can write instead of `/nonexistent`.
///
/// ```swift
/// PasswordView.withHome("/work/job-1", forUID: 10001, in: "runner:x:10001:10001::/nonexistent:/usr/sbin/nologin\n")
/// // "runner:x:10001:10001::/work/job-1:/usr/sbin/nologin\n"
/// ```
package enum PasswordView {
    /// `passwd` with the home field of every entry whose uid is `uid`
    /// replaced by `home`; nil when no entry has that uid, or when `home`
    /// cannot be a field (it holds `:` or a newline).
    package static func withHome(_ home: String, forUID uid: UInt32, in passwd: String) -> String? {
        guard !home.isEmpty, !home.contains(":"), !home.contains("\n") else { return nil }
        var changed = false
        var lines = passwd.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices {
            var fields = lines[index].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            // name:password:uid:gid:gecos:home:shell
            guard fields.count == 7, UInt32(fields[2]) == uid else { continue }
            fields[5] = home
            lines[index] = fields.joined(separator: ":")
            changed = true
        }
        return changed ? lines.joined(separator: "\n") : nil
    }
}
