import Artifacts
import Foundation
import TestSupport
import Testing

/// GNU tar reading a real archive back.
enum Tar {
    /// The flag that makes GNU tar decompress `compression`.
    static func flags(_ compression: ArtifactCompression) -> [String] {
        switch compression {
        case .gzip: ["-z"]
        case .zstd: ["--zstd"]
        case .none: []
        }
    }

    /// `tar -tf`: the entry names, one per line.
    static func names(_ archive: String, _ compression: ArtifactCompression) throws -> [String] {
        let result = try Command.tool("tar", flags(compression) + ["-tf", archive])
        #expect(result.status == 0, "tar -t failed: \(result.stderr)")
        #expect(result.stderr.isEmpty, "tar -t warned: \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// `tar -tvf`: the verbose listing.
    static func verboseListing(_ archive: String, _ compression: ArtifactCompression) throws -> String {
        let result = try Command.tool("tar", flags(compression) + ["-tvf", archive])
        #expect(result.status == 0, "tar -tv failed: \(result.stderr)")
        return result.stdout
    }

    /// `tar -xf` into `destination`, which must exist.
    static func extract(_ archive: String, _ compression: ArtifactCompression, into destination: String) throws {
        let result = try Command.tool("tar", flags(compression) + ["-xf", archive, "-C", destination])
        #expect(result.status == 0, "tar -x failed: \(result.stderr)")
        #expect(result.stderr.isEmpty, "tar -x warned: \(result.stderr)")
    }
}
