/// One secret: a file in a secrets directory, named after the file.
///
/// ```swift
/// let secret = Secret(name: "db_password", contents: Array("s3cr3t!\n".utf8), path: "/run/secrets/db_password")
/// secret.environmentName(prefix: "SECRET_")   // "SECRET_DB_PASSWORD"
/// ```
package struct Secret: Sendable, Equatable {
    /// The file name.
    package var name: String
    /// The file's bytes, one trailing newline (`\n` or `\r\n`) removed.
    package var value: [UInt8]
    /// The file's bytes as they are (what an exposed secret file holds).
    package var contents: [UInt8]
    /// Where it was read (the path in the secrets directory, before symlinks).
    package var path: String

    /// A secret whose file held `contents`; ``value`` drops one trailing newline.
    package init(name: String, contents: [UInt8], path: String) {
        self.name = name
        self.value = Self.trimmingNewline(contents)
        self.contents = contents
        self.path = path
    }

    /// `prefix` and the name upper-cased, every byte outside `A-Z 0-9 _` as `_`.
    package func environmentName(prefix: String) -> String {
        let body = name.uppercased().unicodeScalars.map { scalar -> Character in
            let plain =
                scalar.isASCII && (("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_")
            return plain ? Character(scalar) : "_"
        }
        return prefix + String(body)
    }

    /// The value without one trailing `\n` or `\r\n`.
    static func trimmingNewline(_ bytes: [UInt8]) -> [UInt8] {
        var value = bytes
        if value.last == 0x0a {
            value.removeLast()
            if value.last == 0x0d { value.removeLast() }
        }
        return value
    }
}
