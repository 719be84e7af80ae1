import AgentSystem
import ConfigKeys
import Foundation
import Testing

/// Outside AgentConfig and ConfigKeys, code names a configuration key by its
/// `ConfigKey` (`"\(ConfigKey.reportURL)"`), never by a string literal that
/// spells it: a renamed key then changes every message with it, and a
/// misspelt one does not compile. Comments may spell the names.
@Suite struct KeyNameLiteralTests {
    static let root = Path.parent(of: Path.parent(of: Path.parent(of: #filePath)))
    /// The modules that own the names.
    static let owners = ["Sources/AgentConfig/", "Sources/ConfigKeys/"]

    @Test func noStringLiteralOutsideTheConfigurationSpellsAKey() throws {
        let sources = try FileManager.default.subpathsOfDirectory(atPath: Path.join(Self.root, "Sources"))
            .map { "Sources/" + $0 }
            .filter { path in path.hasSuffix(".swift") && !Self.owners.contains { path.hasPrefix($0) } }
        #expect(sources.count > 100, "the walk found the sources")
        var offenders: [String] = []
        for path in sources.sorted() {
            let text = String(decoding: try FileSystem.readFile(Path.join(Self.root, path)), as: UTF8.self)
            offenders += Self.offenders(in: text, file: path)
        }
        #expect(offenders.isEmpty, "write these as ConfigKey values:\n\(offenders.joined(separator: "\n"))")
    }

    @Test func keyNamesInLiteralsAreFoundAndNowhereElse() {
        let table: [(source: String, found: [String])] = [
            (#"throw E("set sandbox.require")"#, ["F.swift:1: sandbox.require"]),
            ("let a = 1\nlet b = \"\"\"\n    mount output.dir\n    \"\"\"", ["F.swift:2: output.dir"]),
            (##"let r = #"report.url \#(x)"#"##, ["F.swift:1: report.url"]),
            (#"f("\(g("run.user")) ok")"#, ["F.swift:1: run.user"]),
            (#"f("\(ConfigKey.runUser) and \(limits.processes)")"#, []),
            ("/// `sandbox.require`\n// run.user\n/* report.url /* nested */ cache.dir */ let x = 1", []),
            (#"f("sandbox.shm_size run.users my.run.user")"#, ["F.swift:1: sandbox.shm_size"]),
            (#"f("a \"run.timeout\" b")"#, ["F.swift:1: run.timeout"]),
        ]
        for row in table {
            #expect(Self.offenders(in: row.source, file: "F.swift") == row.found, "\(row.source)")
        }
    }

    /// `file:line: name` for each key name a string literal of `source` spells.
    static func offenders(in source: String, file: String) -> [String] {
        let bytes = Array(source.utf8)
        var found: [String] = []
        for segment in SwiftStringLiterals.segments(in: source) {
            let text = Array(segment.text.utf8)
            for key in ConfigKey.all where contains(text, name: Array(key.name.utf8)) {
                let line = bytes[..<segment.offset].count { $0 == UInt8(ascii: "\n") } + 1
                found.append("\(file):\(line): \(key.name)")
            }
        }
        return found
    }

    /// Whether `text` holds `name` whole: not inside a longer key
    /// (`sandbox.shm` in `sandbox.shm_size`) or a longer dotted name.
    static func contains(_ text: [UInt8], name: [UInt8]) -> Bool {
        guard text.count >= name.count else { return false }
        for start in 0...(text.count - name.count) where text[start..<start + name.count].elementsEqual(name) {
            let end = start + name.count
            let joinedBefore = start > 0 && (isNamePart(text[start - 1]) || text[start - 1] == UInt8(ascii: "."))
            let joinedAfter = end < text.count && isNamePart(text[end])
            if !joinedBefore && !joinedAfter { return true }
        }
        return false
    }

    static func isNamePart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
