import Artifacts
import Foundation
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
        let result = try Command.run("tar", flags(compression) + ["-tf", archive])
        #expect(result.status == 0, "tar -t failed: \(result.errors)")
        #expect(result.errors.isEmpty, "tar -t warned: \(result.errors)")
        return result.output.split(separator: "\n").map(String.init)
    }

    /// `tar -tvf`: the verbose listing.
    static func verboseListing(_ archive: String, _ compression: ArtifactCompression) throws -> String {
        let result = try Command.run("tar", flags(compression) + ["-tvf", archive])
        #expect(result.status == 0, "tar -tv failed: \(result.errors)")
        return result.output
    }

    /// `tar -xf` into `destination`, which must exist.
    static func extract(_ archive: String, _ compression: ArtifactCompression, into destination: String) throws {
        let result = try Command.run("tar", flags(compression) + ["-xf", archive, "-C", destination])
        #expect(result.status == 0, "tar -x failed: \(result.errors)")
        #expect(result.errors.isEmpty, "tar -x warned: \(result.errors)")
    }
}
