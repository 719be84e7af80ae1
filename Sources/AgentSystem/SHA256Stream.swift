import Crypto

/// A SHA-256 computed block by block, for data that is streamed anyway
/// (an artifact on its way into the archive).
///
/// ```swift
/// var hash = SHA256Stream()
/// hash.update(block)
/// hash.hexDigest()   // "e3b0c442…"
/// ```
public struct SHA256Stream {
    private var hasher = SHA256()

    public init() {}

    /// Adds `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The digest of everything added, lowercase hex.
    public func hexDigest() -> String {
        Digest.hex(hasher.finalize())
    }
}
