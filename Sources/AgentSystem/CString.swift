#if canImport(Glibc)
import Glibc
#endif

/// NUL-terminated C strings a C library hands back.
package enum CString {
    /// The bytes of `string` before its NUL, unrepaired (a name that is not
    /// UTF-8 keeps its bytes); empty for nil.
    ///
    /// ```swift
    /// CString.bytes(git_tree_entry_name(entry))   // [0x61, 0xff]
    /// ```
    package static func bytes(_ string: UnsafePointer<CChar>?) -> [UInt8] {
        guard let string else { return [] }
        return Array(UnsafeRawBufferPointer(start: string, count: strlen(string)))
    }
}
