import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

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
    func add(path: [UInt8], type: String, size: Int, mode: UInt32, sha256: String?, target: String?) throws(ArtifactError) {
        if count > 0 { buffer += Array(",\n".utf8) }
        count += 1
        let octal = String(mode & 0o7777, radix: 8)
        let paddedMode = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
        buffer += Array("{\"path\": \"".utf8)
        Self.appendEscaped(String(decoding: path, as: UTF8.self), to: &buffer)
        buffer += Array("\", \"type\": \"\(type)\", \"size\": \(size), \"mode\": \"\(paddedMode)\", \"sha256\": ".utf8)
        buffer += Array((sha256.map { "\"\($0)\"" } ?? "null").utf8)
        buffer += Array(", \"target\": ".utf8)
        if let target {
            buffer.append(0x22)
            Self.appendEscaped(target, to: &buffer)
            buffer.append(0x22)
        } else {
            buffer += Array("null".utf8)
        }
        buffer.append(UInt8(ascii: "}"))
        if buffer.count >= 64 * 1024 { try flush() }
    }

    /// Ends the JSON, flushes it and renames it into place.
    func publish() throws(ArtifactError) {
        buffer += Array("\n]}\n".utf8)
        try flush()
        _ = try pending.sync()
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

    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5c, 0x22]
            case UInt8(ascii: "\\"): out += [0x5c, 0x5c]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            default: out.append(byte)
            }
        }
    }
}
