import AgentSystem

/// Streams `manifest.json` (one entry per archived path: path, type, size,
/// mode, sha256, symlink target) to a temporary file beside the archive,
/// published under its final name only with the archive.
///
/// ```json
/// {"entries": [
/// {"path": "report.txt", "type": "file", "size": 12, "mode": "0644", "sha256": "…", "target": null}
/// ]}
/// ```
final class ManifestWriter {
    static let fileName = "manifest.json"
    private let pending: PendingArchiveFile
    private var buffer: [UInt8] = []
    private var count = 0

    init(directory: String) throws(ArtifactError) {
        pending = try PendingArchiveFile(directory: directory, name: Self.fileName)
        buffer = Array("{\"entries\": [\n".utf8)
    }

    /// The final path.
    var finalPath: String { pending.finalPath }

    /// The temporary file's identity, to keep it out of the walk.
    func identity() throws(ArtifactError) -> (device: UInt64, inode: UInt64) { try pending.identity() }

    /// Adds one entry; `type` is `file`, `directory` or `symlink`.
    func add(path: [UInt8], type: String, size: Int, mode: UInt32, sha256: String?, target: [UInt8]?)
        throws(ArtifactError)
    {
        if count > 0 { append(",\n") }
        count += 1
        append("{\"path\": \"")
        Self.appendEscaped(Self.validUTF8(path), to: &buffer)
        append("\", \"type\": \"")
        append(type)
        append("\", \"size\": ")
        append(String(size))
        append(", \"mode\": \"")
        for shift in stride(from: 9, through: 0, by: -3) { buffer.append(0x30 + UInt8((mode >> UInt32(shift)) & 7)) }
        append("\", \"sha256\": ")
        if let sha256 {
            buffer.append(0x22)
            append(sha256)
            buffer.append(0x22)
        } else {
            append("null")
        }
        append(", \"target\": ")
        if let target {
            buffer.append(0x22)
            Self.appendEscaped(Self.validUTF8(target), to: &buffer)
            buffer.append(0x22)
        } else {
            append("null")
        }
        buffer.append(UInt8(ascii: "}"))
        if buffer.count >= 64 * 1024 { try flush() }
    }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Ends the JSON, writes what is buffered and renames it into place.
    func publish() throws(ArtifactError) {
        buffer += Array("\n]}\n".utf8)
        try flush()
        try pending.publish()
    }

    private func flush() throws(ArtifactError) {
        do throws(SystemError) {
            try FileSystem.writeAll(pending.fileDescriptor, buffer, path: pending.temporaryPath)
        } catch {
            throw .system(.writeFailed, path: pending.finalPath, error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// `bytes`, or for bytes that are not UTF-8, the text with U+FFFD for
    /// each stray byte, as JSON requires.
    static func validUTF8(_ bytes: [UInt8]) -> [UInt8] {
        bytes.allSatisfy { $0 < 0x80 } ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    static func appendEscaped(_ text: [UInt8], to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        for byte in text {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5c, 0x22]
            case UInt8(ascii: "\\"): out += [0x5c, 0x5c]
            case 0..<0x20:
                out += [0x5c, UInt8(ascii: "u"), 0x30, 0x30]
                hex.withUTF8Buffer { digits in
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0xf)])
                }
            default: out.append(byte)
            }
        }
    }
}
