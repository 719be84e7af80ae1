import Artifacts
import Foundation
import Secrets
import TestSupport
import Testing

/// Issue #10, part 4: a secret in a file name or a symlink target is masked
/// wherever the name is written (tar header, manifest, summary), so archive
/// and manifest agree, and `artifacts.scan_secrets` counts it as a find.
@Suite(.timeLimit(.minutes(10)))
struct ArtifactNameSecretTests {
    static let secret = "s3cret-name-value"
    static let masker = SecretMasker(values: [Array(secret.utf8)])

    /// key-<secret>.txt (clean contents), dir-<secret>/inner.txt, link -> /srv/<secret>, plain.txt.
    private func tree() throws -> (scratch: TemporaryDirectory, artifacts: String) {
        let scratch = try TemporaryDirectory("sf-artifacts")
        let artifacts = try scratch.subdirectory("artifacts")
        try Data("clean\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/key-\(Self.secret).txt"))
        try FileManager.default.createDirectory(
            atPath: artifacts + "/dir-\(Self.secret)", withIntermediateDirectories: true)
        try Data("inner\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/dir-\(Self.secret)/inner.txt"))
        #expect(symlink("/srv/\(Self.secret)", artifacts + "/link") == 0)
        try Data("plain\n".utf8).write(to: URL(fileURLWithPath: artifacts + "/plain.txt"))
        return (scratch, artifacts)
    }

    private func holdsSecret(_ path: String) -> Bool {
        FileManager.default.contents(atPath: path).map { $0.range(of: Data(Self.secret.utf8)) != nil } ?? false
    }

    @Test func namesAndTargetsAreMaskedInTheArchiveTheManifestAndTheSummary() throws {
        let (scratch, artifacts) = try tree()
        let output = try scratch.subdirectory("output")
        let archiver = ArtifactArchiver(
            compression: .none, secretScan: SecretScan(masker: Self.masker, failOnFind: false), writesManifest: true,
            masker: Self.masker)

        let summary = try archiver.archive(directory: artifacts, into: output)

        #expect(summary.secretPaths == ["dir-***", "key-***.txt", "link"])
        #expect(
            try Tar.names(summary.path, .none) == ["dir-***/", "dir-***/inner.txt", "key-***.txt", "link", "plain.txt"])
        #expect(try Tar.verboseListing(summary.path, .none).contains("link -> /srv/***"))
        #expect(summary.fileDigests.map(\.path) == ["dir-***/inner.txt", "key-***.txt", "plain.txt"])
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: output + "/manifest.json")))
        let entries = try #require((manifest as? [String: Any])?["entries"] as? [[String: Any]])
        #expect(
            entries.compactMap { $0["path"] as? String } == [
                "dir-***", "dir-***/inner.txt", "key-***.txt", "link", "plain.txt",
            ])
        #expect(entries.compactMap { $0["target"] as? String } == ["/srv/***"])
        #expect(!holdsSecret(summary.path), "no header or pax record holds it")
        #expect(!holdsSecret(output + "/manifest.json"))
    }

    @Test func aSecretInANameFailsTheArchiveWhenAsked() throws {
        let (scratch, artifacts) = try tree()
        let output = try scratch.subdirectory("output")
        let archiver = ArtifactArchiver(
            compression: .gzip, secretScan: SecretScan(masker: Self.masker, failOnFind: true), writesManifest: true,
            masker: Self.masker)

        let error = try #require(throws: ArtifactError.self) {
            try archiver.archive(directory: artifacts, into: output)
        }

        #expect(error.code == .secretFound)
        #expect(error.secretPaths == ["dir-***", "key-***.txt", "link"])
        #expect(error.description.contains("key-***.txt"), "\(error)")
        #expect(!error.description.contains(Self.secret))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty, "nothing published")
    }

    @Test func namesAreMaskedWithoutScanningToo() throws {
        let (scratch, artifacts) = try tree()
        let output = try scratch.subdirectory("output")

        let summary = try ArtifactArchiver(compression: .none, writesManifest: true, masker: Self.masker)
            .archive(directory: artifacts, into: output)

        #expect(summary.secretPaths.isEmpty, "no scan, no finds")
        #expect(try Tar.names(summary.path, .none).contains("key-***.txt"))
        #expect(!holdsSecret(summary.path))
        #expect(!holdsSecret(output + "/manifest.json"))
    }
}
