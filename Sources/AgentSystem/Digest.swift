import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 digests as lowercase hex, streamed so memory stays flat.
package enum Digest {
    /// The SHA-256 of a file's contents.
    package static func sha256(ofFile path: String) throws(SystemError) -> String {
        let fd = system_open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .last("open", path: path) }
        defer { system_close(fd) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { system_read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if currentErrno() == EINTR { continue }
                throw .last("read", path: path)
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hex(hasher.finalize())
    }

    /// The SHA-256 of `bytes`.
    package static func sha256(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// `digest` as lowercase hex, written straight into the string's storage.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { hex($0) }
    }

    /// `bytes` as lowercase hex (a digest, an object id).
    package static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[2 * index] = hexDigit(byte >> 4)
                text[2 * index + 1] = hexDigit(byte & 0x0f)
            }
            return bytes.count * 2
        }
    }

    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x57 + value
    }
}
