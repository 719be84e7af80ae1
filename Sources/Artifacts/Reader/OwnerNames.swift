import AgentSystem

/// User and group names for the tar headers, looked up once per id in the
/// agent (the reader child cannot use NSS), as libarchive's standard
/// lookup did.
///
/// ```swift
/// let owners = OwnerNames()
/// owners.user(0)    // "root"
/// owners.group(5)   // "tty"
/// ```
final class OwnerNames {
    private var users: [UInt32: String?] = [:]
    private var groups: [UInt32: String?] = [:]

    /// The login name of `uid`, or `nil` when the password database has none.
    func user(_ uid: UInt32) -> String? {
        if let known = users[uid] { return known }
        let name = (try? UserDatabase.user(id: uid))?.name
        users[uid] = name
        return name
    }

    /// The name of group `gid`, or `nil` when the group database has none.
    func group(_ gid: UInt32) -> String? {
        if let known = groups[gid] { return known }
        let name = try? UserDatabase.groupName(id: gid)
        groups[gid] = name
        return name
    }
}
