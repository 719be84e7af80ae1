@testable import Artifacts
import Testing

/// The pure parts, as tables.
struct ArtifactValuesTests {
    @Test func fileNames() {
        #expect(ArtifactCompression.gzip.fileName == "artifacts.tar.gz")
        #expect(ArtifactCompression.zstd.fileName == "artifacts.tar.zst")
        #expect(ArtifactCompression.none.fileName == "artifacts.tar")
        #expect(ArtifactCompression(rawValue: "zstd") == .zstd)
        #expect(ArtifactCompression(rawValue: "xz") == nil)
    }

    @Test func relativeNames() {
        func relative(_ full: String, _ root: String) -> String? {
            ArtifactArchiver.relativeName(Array(full.utf8), root: Array(root.utf8))
                .map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(relative("/a/b", "/a") == "b")
        #expect(relative("/a/b/c", "/a") == "b/c")
        #expect(relative("a//b", "a") == "b")
        #expect(relative("/x", "/") == "x")
        #expect(relative("/ab", "/a") == nil)
        #expect(relative("/a", "/a") == nil)
        #expect(relative("/a/", "/a") == nil)
        #expect(relative("/b/c", "/a") == nil)
    }

    @Test func errorDescriptionsAreSentencesNamingThePath() {
        func text(_ code: ArtifactError.Code, _ reason: String) -> String {
            ArtifactError(code: code, path: "/p", reason: reason).description
        }
        #expect(text(.writeFailed, "Write error (No space left on device)")
            == "Cannot write the artifacts archive /p: Write error (No space left on device).")
        #expect(text(.notADirectory, "it is not a directory")
            == "The artifacts directory /p is not a directory: it is not a directory.")
        #expect(text(.unreadableArtifact, "cannot open it: Permission denied")
            == "Cannot read the artifact /p: cannot open it: Permission denied.")
        #expect(text(.artifactChanged, "it shrank by 3 bytes while being read")
            == "The artifact /p changed while it was being archived: it shrank by 3 bytes while being read.")
        #expect(text(.invalidOptions, "compression level 42 rejected.")
            == "Cannot configure the artifacts archive /p: compression level 42 rejected.")
        #expect(text(.publishFailed, "x") == "Cannot publish the artifacts archive /p: x.")
        #expect(ArtifactError.Code.writeFailed.description == "write-failed")
    }
}
