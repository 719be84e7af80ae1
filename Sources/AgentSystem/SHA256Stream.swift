import Crypto

/// A SHA-256 computed block by block, for data that is streamed anyway
/// (an artifact on its way into the archive).
///
/// ```swift
/// var hash = SHA256Stream()
/// hash.update(block)
/// hash.hexDigest()   // "e3b0c442…"
/// ```
package struct SHA256Stream {
    private var hasher = SHA256()

    package init() {}

    /// Adds `bytes`.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    /// The digest of everything added, lowercase hex.
    package func hexDigest() -> String {
        Digest.hex(hasher.finalize())
    }
}
