/// Reads a raw commit object's headers (the bytes `git cat-file commit` prints).
package enum CommitHeader {
    /// The committer time: the next-to-last field of the `committer` header
    /// (`committer Name <mail> 1700000000 +0100`), seconds since the epoch
    /// whatever the time zone; nil when the header is missing or malformed.
    ///
    /// ```swift
    /// CommitHeader.committerTime(Array("tree …\ncommitter A <a@b> 1700000000 +0100\n\nmsg".utf8))  // 1700000000
    /// ```
    package static func committerTime(_ raw: [UInt8]) -> Int64? {
        let newline = UInt8(ascii: "\n")
        for line in raw.split(separator: newline, omittingEmptySubsequences: false) {
            if line.isEmpty { return nil }  // The headers end at the first blank line.
            guard line.starts(with: "committer ".utf8) else { continue }
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count >= 3, let time = Int64(String(decoding: fields[fields.count - 2], as: UTF8.self)) else {
                return nil
            }
            return time
        }
        return nil
    }
}
