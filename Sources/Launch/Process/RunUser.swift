import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// The identity a job runs as: uid, primary gid and the complete list of
/// supplementary groups (the agent's own groups are never inherited).
///
/// ```swift
/// let runner = try RunUser.lookup("runner")        // from /etc/passwd and /etc/group
/// let numeric = try RunUser.lookup("10001:10001")  // groups == [10001]
/// ```
package struct RunUser: Sendable, Equatable {
    /// The user id set as real, effective and saved uid.
    package var uid: UInt32
    /// The group id set as real, effective and saved gid.
    package var gid: UInt32
    /// Exactly the supplementary groups the job gets.
    package var groups: [UInt32]
    /// The login name, when the user was looked up by name.
    package var name: String?
    /// The home directory from the password database, when known.
    package var home: String?

    package init(uid: UInt32, gid: UInt32, groups: [UInt32], name: String? = nil, home: String? = nil) {
        self.uid = uid
        self.gid = gid
        self.groups = groups
        self.name = name
        self.home = home
    }

    /// `"uid:gid"` for messages.
    var numericSpec: String { "\(uid):\(gid)" }

    /// Resolves `"name"` (password database; groups from `getgrouplist`: the
    /// user's own groups only) or `"uid:gid"` (decimal; groups = `[gid]`).
    ///
    /// ```swift
    /// try RunUser.lookup("root").uid           // 0
    /// try RunUser.lookup("10001:10002").groups // [10002]
    /// try RunUser.lookup("a:b")                // throws: invalid user "a:b" …
    /// ```
    package static func lookup(_ spec: String) throws(LaunchError) -> RunUser {
        if spec.contains(":") {
            let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let uid = decimal(parts[0]), let gid = decimal(parts[1]) else {
                throw invalid(spec, "expected a name or uid:gid in decimal")
            }
            return RunUser(uid: uid, gid: gid, groups: [gid])
        }
        guard !spec.isEmpty, !spec.utf8.contains(0) else {
            throw invalid(spec, "expected a name or uid:gid in decimal")
        }
        let found: UserDatabase.User?
        do { found = try UserDatabase.user(named: spec) } catch {
            throw LaunchError(.invalidUser, cannot: "look up user \"\(spec)\"", step: "getpwnam_r", errno: error.errno)
        }
        guard let entry = found else {
            throw invalid(spec, "no such user in the password database")
        }
        let groups = try groupList(spec, primary: entry.gid)
        return RunUser(uid: entry.uid, gid: entry.gid, groups: groups, name: spec, home: entry.home)
    }

    /// The agent's own identity: uid, gid, supplementary groups, and name
    /// and home when the password database knows the uid.
    package static func current() -> RunUser {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        let filled = groups.withUnsafeMutableBufferPointer { getgroups(Int32($0.count), $0.baseAddress) }
        groups = filled >= 0 ? Array(groups.prefix(Int(filled))) : []
        let entry = try? UserDatabase.user(id: getuid())
        return RunUser(
            uid: getuid(), gid: getgid(), groups: groups,
            name: entry?.name, home: entry?.home
        )
    }

    private static func decimal(_ text: Substring) -> UInt32? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt32(text)
    }

    private static func invalid(_ spec: String, _ reason: String) -> LaunchError {
        LaunchError(.invalidUser, step: "lookup", sentence: "Invalid user \"\(spec)\": \(reason).")
    }

    private static func groupList(_ name: String, primary: UInt32) throws(LaunchError) -> [UInt32] {
        var capacity: Int32 = 32
        while capacity <= 65536 {
            var groups = [gid_t](repeating: 0, count: Int(capacity))
            var count = capacity
            let result = groups.withUnsafeMutableBufferPointer { getgrouplist(name, primary, $0.baseAddress, &count) }
            if result >= 0 { return Array(groups.prefix(Int(count))) }
            capacity = max(count, capacity * 2)
        }
        throw LaunchError(
            .invalidUser, step: "getgrouplist", sentence: "Cannot list the groups of user \"\(name)\" (getgrouplist).")
    }
}
