import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// The fields of a password-database entry the launcher uses.
struct PasswordEntry {
    var name: String
    var uid: UInt32
    var gid: UInt32
    var home: String

    /// The entry for `name`, or nil when there is none.
    static func named(_ name: String) throws(LaunchError) -> PasswordEntry? {
        try lookup(describing: "user \"\(name)\"", step: "getpwnam_r") { entry, buffer, size, result in
            system_getpwnam_r(name, entry, buffer, size, result)
        }
    }

    /// The entry for `uid`, or nil when there is none.
    static func withID(_ uid: uid_t) throws(LaunchError) -> PasswordEntry? {
        try lookup(describing: "uid \(uid)", step: "getpwuid_r") { entry, buffer, size, result in
            system_getpwuid_r(uid, entry, buffer, size, result)
        }
    }

    private static func lookup(
        describing subject: String,
        step: String,
        _ call: (
            UnsafeMutablePointer<passwd>, UnsafeMutablePointer<CChar>, Int,
            UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>
        ) -> Int32
    ) throws(LaunchError) -> PasswordEntry? {
        var size = 16 * 1024
        while size <= 1 << 22 {
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            var buffer = [CChar](repeating: 0, count: size)
            let status = buffer.withUnsafeMutableBufferPointer { storage -> Int32 in
                guard let base = storage.baseAddress else { return ENOMEM }
                return call(&entry, base, storage.count, &result)
            }
            if status == ERANGE {
                size *= 2
                continue
            }
            guard status == 0 else {
                throw LaunchError(.invalidUser, cannot: "look up \(subject)", step: step, errno: status)
            }
            guard let found = result?.pointee else { return nil }
            // The strings point into `buffer`, which is alive here.
            return PasswordEntry(
                name: found.pw_name.map { String(cString: $0) } ?? "",
                uid: found.pw_uid,
                gid: found.pw_gid,
                home: found.pw_dir.map { String(cString: $0) } ?? ""
            )
        }
        throw LaunchError(.invalidUser, cannot: "look up \(subject)", step: step, errno: ERANGE)
    }
}
