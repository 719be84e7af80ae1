#if canImport(Glibc)
import Glibc
#endif

/// The agent's own environment, read once as a value.
package enum ProcessEnvironment {
    /// Every `NAME=value` of the current process whose name is ASCII;
    /// later duplicates win. A name with other bytes is left out: Swift
    /// compares strings by canonical equivalence, so `SF_SANDBOX_NETWOR\u{212A}`
    /// (a Kelvin sign) would otherwise count as `SF_SANDBOX_NETWORK` here
    /// while every byte-wise filter upstream sees another name.
    package static func current() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "="), text[..<equals].utf8.allSatisfy({ $0 < 0x80 }) {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }
}
