/// Which tree entry names may be written to disk.
///
/// git itself never creates the names rejected here, so a tree holding one
/// was crafted, typically to escape the checkout directory or to plant a
/// `.git` directory that later git commands would trust.
enum TreeEntryName {
    /// Why `name` must not be written, or nil when it may.
    static func problem(_ name: [UInt8]) -> String? {
        if name.isEmpty { return "is empty" }
        if name == [UInt8(ascii: ".")] { return "is \".\"" }
        if name == [UInt8(ascii: "."), UInt8(ascii: ".")] { return "is \"..\"" }
        if name.contains(UInt8(ascii: "/")) { return "contains \"/\"" }
        if name.contains(0) { return "contains a NUL byte" }
        if name.count == 4 && String(decoding: name, as: UTF8.self).lowercased() == ".git" {
            return "is \".git\""
        }
        return nil
    }
}
