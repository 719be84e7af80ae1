/// A slow, plain glob matcher written from the documented rules
/// (docs/configuration.md: `*`, `?`, `[...]`; `*` does not cross `/` over
/// SCRIPT_ID) and POSIX `fnmatch` in the C locale, byte by byte:
///
/// - `?` is one byte, `*` any run of bytes; with `pathSegments` neither
///   matches `/`, and no bracket expression does either;
/// - `[set]` / `[!set]` / `[^set]`: a `]` right after the opening (and the
///   `!`) is literal, `a-z` is the bytes from `a` to `z` (none when `z < a`),
///   a `-` first or last is literal;
/// - a pattern or a text holding a NUL byte matches nothing (neither can
///   reach `fnmatch` whole).
///
/// Patterns outside that syntax (a backslash, `[:class:]`, `[=e=]`, `[.c.]`,
/// an unclosed `[`) are not documented; ``isDocumented(_:)`` says which.
enum ReferenceGlob {
    /// Whether `pattern` uses only the documented syntax, every `[` closed.
    static func isDocumented(_ pattern: [UInt8]) -> Bool {
        if pattern.contains(0x5c) { return false }  // backslash
        var index = 0
        while index < pattern.count {
            if pattern[index] == UInt8(ascii: "[") {
                guard let bracket = parseBracket(pattern, at: index) else { return false }
                index = bracket.end
            } else {
                index += 1
            }
        }
        return true
    }

    /// One element of a pattern.
    enum Element {
        case star, question, bracket(Bracket), byte(UInt8)
    }

    /// The elements of `pattern` (an unclosed `[` is a plain byte).
    static func elements(_ pattern: [UInt8]) -> [Element] {
        var elements: [Element] = []
        var index = 0
        while index < pattern.count {
            switch pattern[index] {
            case UInt8(ascii: "*"): elements.append(.star)
            case UInt8(ascii: "?"): elements.append(.question)
            case UInt8(ascii: "["):
                if let bracket = parseBracket(pattern, at: index) {
                    elements.append(.bracket(bracket))
                    index = bracket.end
                    continue
                }
                elements.append(.byte(pattern[index]))
            default: elements.append(.byte(pattern[index]))
            }
            index += 1
        }
        return elements
    }

    /// Whether `text` matches `pattern`: `rest[t]` says whether the elements
    /// after the current one match the text from byte `t` on, built from the
    /// last element back.
    static func matches(_ pattern: [UInt8], _ text: [UInt8], pathSegments: Bool) -> Bool {
        if pattern.contains(0) || text.contains(0) { return false }
        func crossesSlash(_ byte: UInt8) -> Bool { pathSegments && byte == UInt8(ascii: "/") }
        var rest = [Bool](repeating: false, count: text.count + 1)
        rest[text.count] = true
        for element in elements(pattern).reversed() {
            var current = [Bool](repeating: false, count: text.count + 1)
            switch element {
            case .star:
                current[text.count] = rest[text.count]
                for t in stride(from: text.count - 1, through: 0, by: -1) {
                    current[t] = rest[t] || (!crossesSlash(text[t]) && current[t + 1])
                }
            case .question:
                for t in 0..<text.count { current[t] = !crossesSlash(text[t]) && rest[t + 1] }
            case .bracket(let bracket):
                for t in 0..<text.count {
                    current[t] = !crossesSlash(text[t]) && bracket.contains(text[t]) && rest[t + 1]
                }
            case .byte(let byte):
                for t in 0..<text.count { current[t] = text[t] == byte && rest[t + 1] }
            }
            rest = current
        }
        return rest[0]
    }

    /// A bracket expression: the bytes it names, whether it is negated,
    /// and the index after its closing `]`.
    struct Bracket {
        var negated: Bool
        var singles: Set<UInt8>
        var ranges: [ClosedRange<UInt8>]
        var emptyRanges: Int
        var end: Int

        func contains(_ byte: UInt8) -> Bool {
            let named = singles.contains(byte) || ranges.contains { $0.contains(byte) }
            return named != negated
        }
    }

    /// The bracket expression opening at `start`, or nil when it is not
    /// closed or uses an undocumented form.
    static func parseBracket(_ pattern: [UInt8], at start: Int) -> Bracket? {
        var index = start + 1
        var bracket = Bracket(negated: false, singles: [], ranges: [], emptyRanges: 0, end: 0)
        if index < pattern.count, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            bracket.negated = true
            index += 1
        }
        var first = true
        while index < pattern.count {
            let byte = pattern[index]
            if byte == UInt8(ascii: "]") && !first {
                bracket.end = index + 1
                return bracket
            }
            if byte == UInt8(ascii: "["), index + 1 < pattern.count,
                [UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: ".")].contains(pattern[index + 1])
            {
                return nil
            }
            first = false
            // `x-y` is a range unless the `-` is the last thing before `]`.
            if index + 2 < pattern.count, pattern[index + 1] == UInt8(ascii: "-"),
                pattern[index + 2] != UInt8(ascii: "]")
            {
                let upper = pattern[index + 2]
                if upper == UInt8(ascii: "[") && index + 3 < pattern.count
                    && [UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: ".")].contains(pattern[index + 3])
                {
                    return nil
                }
                if byte <= upper { bracket.ranges.append(byte...upper) } else { bracket.emptyRanges += 1 }
                index += 3
            } else {
                bracket.singles.insert(byte)
                index += 1
            }
        }
        return nil
    }
}
