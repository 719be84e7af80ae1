#if canImport(Glibc)
import Glibc
#endif

/// Lookups in the password and group databases (`getpwuid_r`,
/// `getpwnam_r`, `getgrgid_r`), with a buffer that grows until the entry fits.
///
/// ```swift
/// try UserDatabase.user(id: 0)?.name      // "root"
/// try UserDatabase.user(named: "runner")  // User(name: "runner", uid: 10001, gid: 10001, home: "/home/runner")
/// try UserDatabase.groupName(id: 5)       // "tty"
/// ```
package enum UserDatabase {
    /// The fields of a password entry the agent uses.
    package struct User: Sendable, Equatable {
        package var name: String
        package var uid: UInt32
        package var gid: UInt32
        package var home: String

        package init(name: String, uid: UInt32, gid: UInt32, home: String) {
            self.name = name
            self.uid = uid
            self.gid = gid
            self.home = home
        }
    }

    /// The entry of `uid`, or nil when the database has none.
    ///
    /// - Throws: ``SystemError`` "cannot look up uid UID: …".
    package static func user(id uid: UInt32) throws(SystemError) -> User? {
        try lookupUser("uid \(uid)") { entry, buffer, size, result in
            system_getpwuid_r(uid, entry, buffer, size, result)
        }
    }

    /// The entry named `name`, or nil when the database has none.
    ///
    /// - Throws: ``SystemError`` "cannot look up user "NAME": …".
    package static func user(named name: String) throws(SystemError) -> User? {
        try lookupUser("user \"\(name)\"") { entry, buffer, size, result in
            system_getpwnam_r(name, entry, buffer, size, result)
        }
    }

    /// The name of group `gid`, or nil when the database has none.
    ///
    /// - Throws: ``SystemError`` "cannot look up gid GID: …".
    package static func groupName(id gid: UInt32) throws(SystemError) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        return try withGrowingBuffer("gid \(gid)") { buffer, size in
            let status = system_getgrgid_r(gid, &entry, buffer, size, &result)
            return (status, result == nil ? nil : entry.gr_name.map { String(cString: $0) })
        }
    }

    private static func lookupUser(
        _ subject: String,
        _ call: (
            UnsafeMutablePointer<passwd>, UnsafeMutablePointer<CChar>, Int,
            UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>
        ) -> Int32
    ) throws(SystemError) -> User? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        return try withGrowingBuffer(subject) { buffer, size in
            let status = call(&entry, buffer, size, &result)
            guard status == 0, result != nil else { return (status, nil) }
            let found = entry
            // The strings point into `buffer`, alive here.
            let user = User(
                name: found.pw_name.map { String(cString: $0) } ?? "", uid: found.pw_uid, gid: found.pw_gid,
                home: found.pw_dir.map { String(cString: $0) } ?? "")
            return (0, user)
        }
    }

    /// Calls a `get*_r` function with a buffer from 16 KiB up to 4 MiB,
    /// doubling while it answers `ERANGE`.
    private static func withGrowingBuffer<Found>(
        _ subject: String, _ call: (UnsafeMutablePointer<CChar>, Int) -> (Int32, Found?)
    ) throws(SystemError) -> Found? {
        var size = 16 * 1024
        while size <= 1 << 22 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            let (status, found) = call(buffer, size)
            switch status {
            case 0: return found
            case ERANGE: size *= 2
            default: throw SystemError(operation: "look up", path: subject, errno: status)
            }
        }
        throw SystemError(operation: "look up", path: subject, errno: ERANGE)
    }
}
