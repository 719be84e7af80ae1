/// The text of a Swift file's string literals, without their
/// interpolations and without comments: where a message spells out a word.
///
/// ```swift
/// SwiftStringLiterals.segments(in: #"f("a \(b.c) d") // "e""#).map(\.text)   // ["a ", " d"]
/// ```
///
/// Single-line, multi-line (`"""`) and raw (`#"…"#`) literals are read;
/// interpolations are code again, and may hold literals of their own.
enum SwiftStringLiterals {
    /// A run of literal text and where it starts in the file (a UTF-8 offset).
    struct Segment: Equatable {
        var offset: Int
        var text: String
    }

    static func segments(in source: String) -> [Segment] {
        var scanner = Scanner(bytes: Array(source.utf8))
        scanner.code(inInterpolation: false)
        return scanner.segments
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var segments: [Segment] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        func starts(with text: String, at position: Int) -> Bool {
            var position = position
            for byte in text.utf8 {
                guard position < bytes.count, bytes[position] == byte else { return false }
                position += 1
            }
            return true
        }

        /// Code up to the end of the file, or to the `)` that closes an interpolation.
        mutating func code(inInterpolation: Bool) {
            var depth = 0
            while index < bytes.count {
                if starts(with: "//", at: index) {
                    while index < bytes.count && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                    continue
                }
                if starts(with: "/*", at: index) {
                    skipBlockComment()
                    continue
                }
                let byte = bytes[index]
                if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\"") {
                    var quote = index
                    while quote < bytes.count && bytes[quote] == UInt8(ascii: "#") { quote += 1 }
                    if quote < bytes.count && bytes[quote] == UInt8(ascii: "\"") {
                        let hashes = quote - index
                        let multiline = starts(with: "\"\"\"", at: quote)
                        index = quote + (multiline ? 3 : 1)
                        string(hashes: hashes, multiline: multiline)
                        continue
                    }
                    index = max(quote, index + 1)
                    continue
                }
                if inInterpolation && byte == UInt8(ascii: "(") { depth += 1 }
                if inInterpolation && byte == UInt8(ascii: ")") {
                    if depth == 0 {
                        index += 1
                        return
                    }
                    depth -= 1
                }
                index += 1
            }
        }

        /// A block comment, nested ones included.
        mutating func skipBlockComment() {
            var depth = 0
            while index < bytes.count {
                if starts(with: "/*", at: index) {
                    depth += 1
                    index += 2
                } else if starts(with: "*/", at: index) {
                    depth -= 1
                    index += 2
                    if depth == 0 { return }
                } else {
                    index += 1
                }
            }
        }

        /// A literal's body, from just after its opening quote to just after its closing one.
        mutating func string(hashes: Int, multiline: Bool) {
            let pounds = String(repeating: "#", count: hashes)
            let close = (multiline ? "\"\"\"" : "\"") + pounds
            let escape = "\\" + pounds
            var start = index
            while index < bytes.count {
                if starts(with: escape, at: index) {
                    let after = index + escape.utf8.count
                    if after < bytes.count && bytes[after] == UInt8(ascii: "(") {
                        add(from: start)
                        index = after + 1
                        code(inInterpolation: true)
                        start = index
                    } else {
                        index = after + 1
                    }
                    continue
                }
                if starts(with: close, at: index) {
                    add(from: start)
                    index += close.utf8.count
                    return
                }
                if !multiline && bytes[index] == UInt8(ascii: "\n") { break }
                index += 1
            }
            add(from: start)
        }

        mutating func add(from start: Int) {
            guard start < index else { return }
            segments.append(Segment(offset: start, text: String(decoding: bytes[start..<index], as: UTF8.self)))
        }
    }
}
