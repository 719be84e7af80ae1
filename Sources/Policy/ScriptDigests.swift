import AgentSystem
import ConfigKeys

/// `policy.script_digests`: scripts allowed by content, in `sha256sum`
/// format (`<64 hex>  <path in the checkout>`, one a line).
///
/// ```swift
/// let digests = try ScriptDigests(parsing: "9f86d0…  deploy/web.py\n", file: "/etc/sf-agent/scripts.sha256")
/// try digests.check(path: "deploy/web.py", sha256: "9f86d0…")
/// ```
///
/// Blank lines and `#` comment lines are skipped. The binary-mode marker
/// `*` before the path (`<hex> *<path>`) is accepted, as `sha256sum -c` does.
/// A path appearing twice is an error, so one file cannot pin two contents.
package struct ScriptDigests: Sendable, Equatable {
    /// The pinned SHA-256 (lowercase hex) of each path.
    package private(set) var digests: [String: String]
    /// The file the digests came from, for messages.
    package var file: String

    /// A line of the file that cannot be read.
    package struct ParseError: AgentError {
        /// What is wrong with the line.
        package enum Code: String, Sendable, CaseIterable {
            case malformedDigest, malformedSeparator, missingPath, pathOutsideCheckout, duplicatePath
        }

        package var code: Code
        package var file: String
        /// 1-based.
        package var line: Int
        package var reason: String

        package var message: String { "\(ConfigKey.policyScriptDigests) \(file), line \(line): \(reason)." }
    }

    /// Parses the file's text.
    package init(parsing text: String, file: String) throws(ParseError) {
        self.file = file
        digests = [:]
        // "\r\n" is one Character: a line saved with CRLF ends at it too.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let hex = line.prefix(64)
            guard hex.count == 64, hex.utf8.allSatisfy(Self.isHexDigit) else {
                throw ParseError(
                    code: .malformedDigest, file: file, line: number,
                    reason:
                        "expected 64 hexadecimal digits (a SHA-256, as `sha256sum` prints it) at the start of the line")
            }
            var rest = line.dropFirst(64)
            guard rest.hasPrefix("  ") || rest.hasPrefix(" *") else {
                throw ParseError(
                    code: .malformedSeparator, file: file, line: number,
                    reason: "expected two spaces (or ` *`) between the digest and the path, as `sha256sum` writes them")
            }
            rest = rest.dropFirst(2)
            let path = String(rest)
            guard !path.isEmpty else {
                throw ParseError(
                    code: .missingPath, file: file, line: number, reason: "the path is missing after the digest")
            }
            guard !path.hasPrefix("/"),
                !path.split(separator: "/", omittingEmptySubsequences: false).contains(where: {
                    $0.isEmpty || $0 == "." || $0 == ".."
                })
            else {
                throw ParseError(
                    code: .pathOutsideCheckout, file: file, line: number,
                    reason: "`\(path)` is not a plain path inside the checkout (relative, no empty, `.` or `..` part)")
            }
            guard digests[path] == nil else {
                throw ParseError(
                    code: .duplicatePath, file: file, line: number,
                    reason: "`\(path)` is listed a second time; list each script once")
            }
            digests[path] = hex.lowercased()
        }
    }

    /// Passes when `path` (relative to the checkout) is listed with `sha256`.
    package func check(path: String, sha256: String) throws(PolicyViolation) {
        guard let pinned = digests[path] else {
            throw PolicyViolation(
                .digestMismatch,
                rule: .key(.policyScriptDigests),
                message:
                    "The script \(path) (SHA-256 \(sha256)) has no line in \(ConfigKey.policyScriptDigests) (\(file)); nothing ran. "
                    + "After reviewing it, add `\(sha256)  \(path)` to that file.")
        }
        guard pinned == sha256.lowercased() else {
            throw PolicyViolation(
                .digestMismatch,
                rule: .key(.policyScriptDigests),
                message:
                    "The script \(path) has SHA-256 \(sha256), but \(ConfigKey.policyScriptDigests) (\(file)) pins it at \(pinned); nothing ran. "
                    + "The script changed since it was reviewed: review it and update its line.")
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) || (0x41...0x46).contains(byte)
    }
}
