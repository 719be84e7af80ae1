import AgentSystem

extension JobResult {
    /// The digests that let `sf-agent verify` catch a changed byte anywhere
    /// in the job's folder: `result.json`'s `integrity`.
    package struct Integrity: Sendable, Equatable, Encodable {
        /// The SHA-256 of every file the attempt wrote at the top of its
        /// folder before `result.json` (the logs, `manifest.json`,
        /// `provenance.json`; the archive is `artifacts.sha256`), by name.
        package var files: [String: String]
        /// The SHA-256 of `result.json` itself, taken with this value as 64
        /// zeros (``ResultSeal``).
        package var resultSHA256: String

        package init(files: [String: String], resultSHA256: String = ResultSeal.placeholder) {
            self.files = files
            self.resultSHA256 = resultSHA256
        }

        enum CodingKeys: String, CodingKey { case files, resultSHA256 = "result_sha256" }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(files, forKey: .files)
            try container.encode(resultSHA256, forKey: .resultSHA256)
        }
    }
}

/// `result.json`'s digest of itself: the SHA-256 of the file with
/// `integrity.result_sha256` set to 64 zeros, then written in their place.
///
/// ```swift
/// let sealed = ResultSeal.seal(bytes)          // the zeros replaced by the digest
/// ResultSeal.check(sealed)                     // (recorded: d, computed: d)
/// ```
package enum ResultSeal {
    /// The value written before the digest is known.
    package static let placeholder = String(repeating: "0", count: 64)
    static let key = Array("\"result_sha256\" : \"".utf8)

    /// Where the 64 hex digits of `result_sha256` start, if the key is there once.
    static func valueOffset(in bytes: [UInt8]) -> Int? {
        guard bytes.count > key.count + 64 else { return nil }
        var found: Int?
        for start in 0...(bytes.count - key.count - 64)
        where bytes[start] == key[0] && bytes[start..<(start + key.count)].elementsEqual(key) {
            if found != nil { return nil }
            found = start + key.count
        }
        return found
    }

    /// `bytes` with the placeholder replaced by the digest of `bytes`; unchanged without a placeholder.
    package static func seal(_ bytes: [UInt8]) -> [UInt8] {
        guard let offset = valueOffset(in: bytes), bytes[offset..<(offset + 64)].elementsEqual(placeholder.utf8) else {
            return bytes
        }
        var sealed = bytes
        sealed.replaceSubrange(offset..<(offset + 64), with: Array(Digest.sha256(bytes).utf8))
        return sealed
    }

    /// The recorded and the recomputed digest of a sealed `result.json`; nil
    /// when it holds no (single) `result_sha256`.
    package static func check(_ bytes: [UInt8]) -> (recorded: String, computed: String)? {
        guard let offset = valueOffset(in: bytes) else { return nil }
        let recorded = String(decoding: bytes[offset..<(offset + 64)], as: UTF8.self)
        var unsealed = bytes
        unsealed.replaceSubrange(offset..<(offset + 64), with: Array(placeholder.utf8))
        return (recorded, Digest.sha256(unsealed))
    }
}
