import Foundation
import TestSupport
import Testing

@testable import Artifacts

/// The archiver race of issue #10 in one process: an artifacts tree owned by
/// uid 10001 (a file `big`, directories `d00`… each holding `file`), a vault
/// only root may read (0700) holding a token (0600), and a ``LinkSwapper``
/// of uid 10001 exchanging each `dNN` with a symlink to the vault while the
/// archiver runs.
final class SwapRace {
    let scratch: TemporaryDirectory
    let artifacts: String
    let vault: String
    /// The token's contents: it must never reach an archive or a manifest.
    let token: String
    let swapper: LinkSwapper

    init(pairs: Int = 8, bigBytes: Int = 2 << 20) throws {
        scratch = try TemporaryDirectory("sf-artifacts")
        chmod(scratch.path, 0o755)  // uid 10001 runs the swapper from here
        artifacts = try scratch.subdirectory("artifacts")
        vault = try scratch.subdirectory("vault")
        token = "TOKEN-\(UUID().uuidString)"
        try Data(token.utf8).write(to: URL(fileURLWithPath: vault + "/token"))
        chmod(vault + "/token", 0o600)
        chmod(vault, 0o700)
        for index in 0..<pairs {
            let directory = artifacts + String(format: "/d%02d", index)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data("inside \(index)\n".utf8).write(to: URL(fileURLWithPath: directory + "/file"))
        }
        try Data(repeating: 0x78, count: bigBytes).write(to: URL(fileURLWithPath: artifacts + "/big"))
        try Command.check("/bin/chown", ["-R", "10001:10001", artifacts])
        swapper = try LinkSwapper(root: artifacts, vault: vault, pairs: pairs, scratch: scratch.path)
        guard swapper.waitUntilArmed() else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "swapper: \(swapper.output)"])
        }
    }

    deinit {
        swapper.stop()
    }

    /// What one archive under the race gave.
    struct Outcome {
        var summary: ArchiveSummary?
        var error: ArtifactError?
        /// The token is in the archive or the manifest.
        var leaked: Bool
    }

    /// Archives the tree (uncompressed, so the raw bytes can be searched) into a fresh folder.
    func archive(
        readingAs identity: ArtifactReader.Identity?, followingLinks: Bool = false, run: Int
    ) throws -> Outcome {
        let output = try scratch.subdirectory("output-\(run)")
        var archiver = ArtifactArchiver(compression: .none, writesManifest: true)
        archiver.followsLinksForTesting = followingLinks
        var outcome = Outcome(leaked: false)
        do {
            outcome.summary = try archiver.archive(directory: artifacts, into: output, readingAs: identity)
        } catch {
            outcome.error = error
        }
        let needle = Data(token.utf8)
        for name in ["artifacts.tar", "manifest.json"] {
            if let data = FileManager.default.contents(atPath: output + "/" + name), data.range(of: needle) != nil {
                outcome.leaked = true
            }
        }
        try? FileManager.default.removeItem(atPath: output)
        return outcome
    }
}
