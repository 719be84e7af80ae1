#if canImport(Glibc)
import Glibc
#endif

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
        let name = Self.lookup { buffer, size in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwuid_r(uid, &entry, buffer, size, &result)
            return (status, result == nil ? nil : entry.pw_name.map { String(cString: $0) })
        }
        users[uid] = name
        return name
    }

    /// The name of group `gid`, or `nil` when the group database has none.
    func group(_ gid: UInt32) -> String? {
        if let known = groups[gid] { return known }
        let name = Self.lookup { buffer, size in
            var entry = Glibc.group()
            var result: UnsafeMutablePointer<Glibc.group>?
            let status = getgrgid_r(gid, &entry, buffer, size, &result)
            return (status, result == nil ? nil : entry.gr_name.map { String(cString: $0) })
        }
        groups[gid] = name
        return name
    }

    /// Calls a `get*_r` function with a growing buffer until it fits.
    private static func lookup(_ call: (UnsafeMutablePointer<CChar>, Int) -> (Int32, String?)) -> String? {
        var size = 1024
        while size <= 1 << 20 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let (status, name) = call(buffer, size)
            if status != ERANGE { return name }
            size *= 2
        }
        return nil
    }
}
