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
public enum ConfigFileParser {
    public static func parse(_ text: String, path: String) throws(ConfigError) -> [String: SourcedValue] {
        var values: [String: SourcedValue] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .malformedLine(path: path, line: lineNumber, text: String(line))
            }
            let key = line[..<equals].trimmingWhitespace()
            guard !key.isEmpty, key.allSatisfy(isKeyCharacter) else {
                throw .malformedLine(path: path, line: lineNumber, text: String(line))
            }
            let source = ConfigSource.file(path: path, line: lineNumber)
            guard ConfigKey.named(String(key)) != nil else {
                throw .unknownKey(key: String(key), source: source)
            }
            if case .file(_, let firstLine)? = values[String(key)]?.source {
                throw .duplicateKey(key: String(key), path: path, line: lineNumber, firstLine: firstLine)
            }
            let rawValue = line[line.index(after: equals)...].trimmingWhitespace()
            guard let value = unquote(rawValue) else {
                throw .malformedLine(path: path, line: lineNumber, text: String(line))
            }
            // `#` starts a comment only at the start of a line; a ` #` inside
            // an unquoted value is almost surely a comment that would become
            // part of the value.
            if !rawValue.hasPrefix("\""), rawValue.contains(" #") || rawValue.contains("\t#") {
                throw .inlineComment(key: String(key), path: path, line: lineNumber)
            }
            values[String(key)] = SourcedValue(value, from: source)
        }
        return values
    }

    /// The value without its quotes, or nil for an unbalanced quoted value.
    static func unquote(_ raw: Substring) -> String? {
        guard raw.hasPrefix("\"") else { return String(raw) }
        var result = ""
        var escaped = false
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let character = raw[index]
            if escaped {
                guard character == "\"" || character == "\\" else { return nil }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return raw.index(after: index) == raw.endIndex ? result : nil
            } else {
                result.append(character)
            }
            index = raw.index(after: index)
        }
        return nil
    }

    private static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character))
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return result
    }
}
