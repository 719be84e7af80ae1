import ConfigKeys

/// Parses `agent.conf`: `key = value` lines, `#` comment lines, blank lines,
/// and values optionally in double quotes (`\"` and `\\` escape inside them).
///
/// Strict on purpose: an unknown key, a repeated key or a line that is not
/// one of those forms is an error naming the file and line.
///
/// ```swift
/// let values = try ConfigFileParser.parse("repo.url = /srv/scripts\n", path: "agent.conf")
/// values["repo.url"]?.value   // "/srv/scripts"
/// ```
package enum ConfigFileParser {
    package static func parse(_ text: String, path: String) throws(ConfigError) -> [String: SourcedValue] {
        var values: [String: SourcedValue] = [:]
        var lineNumber = 0
        // Lines, keys and values are cut at Unicode scalars, never at
        // characters: CR LF is one `Character` (a CRLF file would be one
        // line), and so is `=` or `#` with a combining mark after it.
        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingBlanks()
            if line.isEmpty || line.first == "#" { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .malformedLine(path: path, line: lineNumber, text: String(Substring(line)))
            }
            let keyScalars = line[..<equals].trimmingBlanks()
            guard !keyScalars.isEmpty, keyScalars.allSatisfy(isKeyCharacter) else {
                throw .malformedLine(path: path, line: lineNumber, text: String(Substring(line)))
            }
            let key = String(Substring(keyScalars))
            let source = ConfigSource.file(path: path, line: lineNumber)
            guard ConfigKey.named(key) != nil else {
                throw .unknownKey(key: key, source: source)
            }
            if case .file(_, let firstLine)? = values[key]?.source {
                throw .duplicateKey(key: key, path: path, line: lineNumber, firstLine: firstLine)
            }
            let rawValue = line[line.index(after: equals)...].trimmingBlanks()
            guard let value = unquote(rawValue) else {
                throw .malformedLine(path: path, line: lineNumber, text: String(Substring(line)))
            }
            // `#` starts a comment only at the start of a line; a ` #` inside
            // an unquoted value is almost surely a comment that would become
            // part of the value.
            if rawValue.first != "\"",
                zip(rawValue, rawValue.dropFirst()).contains(where: { ($0 == " " || $0 == "\t") && $1 == "#" })
            {
                throw .inlineComment(key: key, path: path, line: lineNumber)
            }
            values[key] = SourcedValue(value, from: source)
        }
        return values
    }

    /// The value without its quotes, or nil for an unbalanced quoted value.
    static func unquote(_ raw: Substring.UnicodeScalarView) -> String? {
        guard raw.first == "\"" else { return String(Substring(raw)) }
        var result = String.UnicodeScalarView()
        var escaped = false
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let scalar = raw[index]
            if escaped {
                guard scalar == "\"" || scalar == "\\" else { return nil }
                result.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                return raw.index(after: index) == raw.endIndex ? String(result) : nil
            } else {
                result.append(scalar)
            }
            index = raw.index(after: index)
        }
        return nil
    }

    private static func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}

extension Substring.UnicodeScalarView {
    /// Without the spaces, tabs and carriage returns at either end.
    func trimmingBlanks() -> Substring.UnicodeScalarView {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return result
    }
}
