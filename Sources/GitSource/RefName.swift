/// git's ref-name rules (`git check-ref-format`, `git_reference_name_is_valid`),
/// plus the agent's own: no leading `-`, at most 255 bytes.
enum RefName {
    /// The longest name accepted, in bytes.
    static let maximumLength = 255

    /// Why `text` is not a valid name, as a verb phrase ("contains \"..\""),
    /// or nil when it is. `full` is the full ref name `text` stands for
    /// (`refs/heads/<text>` for a short name), checked component by component.
    static func problem(_ text: String, asPartOf full: String) -> String? {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return "is empty" }
        if bytes.count > maximumLength { return "is longer than \(maximumLength) bytes" }
        if bytes.first == UInt8(ascii: "-") { return "starts with \"-\"" }
        if text == "@" { return "is \"@\"" }
        for byte in bytes {
            if byte < 0x20 || byte == 0x7f { return "contains a control character" }
            if byte == UInt8(ascii: " ") { return "contains a space" }
            if let forbidden = forbiddenCharacters.first(where: { $0 == byte }) {
                return "contains \"\(Character(Unicode.Scalar(forbidden)))\""
            }
        }
        if text.contains("..") { return "contains \"..\"" }
        if text.contains("@{") { return "contains \"@{\"" }
        if text.contains("//") { return "contains \"//\"" }
        if text.hasPrefix("/") { return "starts with \"/\"" }
        if text.hasSuffix("/") { return "ends with \"/\"" }
        if text.hasSuffix(".") { return "ends with \".\"" }
        for component in full.split(separator: "/", omittingEmptySubsequences: false) {
            if component.hasPrefix(".") { return "has a path component starting with \".\"" }
            if component.hasSuffix(".lock") { return "has a path component ending with \".lock\"" }
        }
        return nil
    }

    private static let forbiddenCharacters: [UInt8] = Array("~^:?*[\\".utf8)
}
