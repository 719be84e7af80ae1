/// A ref as a job or config names it.
///
/// ```swift
/// try GitRef(parsing: "main")                       // .shortName("main")
/// try GitRef(parsing: "refs/tags/v1")               // .fullName("refs/tags/v1")
/// try GitRef(parsing: "0123456789abcdef0123456789abcdef01234567")  // .commit(…)
/// try GitRef(parsing: "a..b")                       // throws .invalidRef
/// ```
package enum GitRef: Equatable, Sendable, CustomStringConvertible {
    /// A full 40-hex commit id, lowercased.
    case commit(String)
    /// A full ref name such as `refs/heads/main` or `refs/tags/v1`.
    case fullName(String)
    /// A short name such as `main` or `v1`: a tag first, then a branch, as git does.
    case shortName(String)

    /// Parses a ref as a user writes it.
    ///
    /// Exactly 40 hexadecimal digits make a ``commit(_:)`` (lowercased); a
    /// shorter hex string is a name, since a short id cannot be fetched.
    /// Text starting with `refs/` is a ``fullName(_:)``; anything else is a
    /// ``shortName(_:)``. Names must follow git's ref-name rules
    /// (`git check-ref-format`), must not start with `-` and are at most
    /// 255 bytes long.
    package init(parsing text: String) throws(SourceError) {
        if ObjectID.isFullHex(text) {
            self = .commit(text.lowercased())
            return
        }
        let isFull = text.hasPrefix("refs/")
        let checked = isFull ? text : "refs/heads/" + text
        if let problem = RefName.problem(text, asPartOf: checked) {
            throw SourceError(
                .invalidRef, "The ref \"\(Self.printable(text))\" is not a valid git ref name: it \(problem).")
        }
        if isFull && text.utf8.count <= "refs/".utf8.count {
            throw SourceError(
                .invalidRef, "The ref \"\(text)\" is not a valid git ref name: it names no ref under refs/.")
        }
        self = isFull ? .fullName(text) : .shortName(text)
    }

    /// The commit id or the name, as the user wrote it.
    package var description: String {
        switch self {
        case .commit(let id): id
        case .fullName(let name): name
        case .shortName(let name): name
        }
    }

    /// The full ref names this ref may stand for, in order of preference.
    var candidateNames: [String] {
        switch self {
        case .commit: []
        case .fullName(let name): [name]
        case .shortName(let name): ["refs/tags/" + name, "refs/heads/" + name]
        }
    }

    /// `text` with control characters escaped, for an error message.
    private static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                result += scalar.escaped(asASCII: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
