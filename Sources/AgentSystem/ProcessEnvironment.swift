#if canImport(Glibc)
import Glibc
#endif

/// The agent's own environment, read once as a value.
public enum ProcessEnvironment {
    /// Every `NAME=value` of the current process; later duplicates win.
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }
}
