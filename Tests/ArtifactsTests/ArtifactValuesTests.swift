import Secrets
import Testing

@testable import Artifacts

/// The pure parts, as tables.
struct ArtifactValuesTests {
    @Test func fileNames() {
        #expect(ArtifactCompression.gzip.fileName == "artifacts.tar.gz")
        #expect(ArtifactCompression.zstd.fileName == "artifacts.tar.zst")
        #expect(ArtifactCompression.none.fileName == "artifacts.tar")
        #expect(ArtifactCompression(rawValue: "zstd") == .zstd)
        #expect(ArtifactCompression(rawValue: "xz") == nil)
    }

    /// Entry paths from enter and leave frames; secrets masked in the whole
    /// path, a find only where the secret first appears.
    @Test func entryPathsAreMaskedAndFindsCountedOnce() {
        var paths = EntryPaths(masker: SecretMasker(values: [Array("s3cret-value".utf8), Array("split/secret".utf8)]))
        func name(_ component: String) -> ArtifactName { paths.name(of: Array(component.utf8)) }
        #expect(name("report.txt").text == "report.txt")
        #expect(!name("report.txt").holdsSecret)
        let secretDirectory = name("dir-s3cret-value")
        #expect(secretDirectory.text == "dir-***")
        #expect(secretDirectory.holdsSecret)
        paths.enter(secretDirectory)
        #expect(paths.current == "dir-***")
        #expect(name("inner.txt").text == "dir-***/inner.txt")
        #expect(!name("inner.txt").holdsSecret, "inherited from the directory: counted there")
        #expect(name("s3cret-value").holdsSecret)
        paths.leave()
        #expect(paths.current == nil)
        paths.enter(name("split"))
        #expect(name("secret").text == "***", "a secret spanning the slash is masked and counted")
        #expect(name("secret").holdsSecret)
        paths.leave()
        #expect(paths.mask(target: Array("/tmp/s3cret-value".utf8)) == (Array("/tmp/***".utf8), true))
        #expect(paths.mask(target: Array("../x".utf8)) == (Array("../x".utf8), false))
    }

    @Test func errorDescriptionsAreSentencesNamingThePath() {
        func text(_ code: ArtifactError.Code, _ reason: String) -> String {
            ArtifactError(code: code, path: "/p", reason: reason).description
        }
        #expect(
            text(.writeFailed, "Write error (No space left on device)")
                == "Cannot write the artifacts archive /p: Write error (No space left on device).")
        #expect(
            text(.notADirectory, "it is not a directory")
                == "The artifacts directory /p is not a directory: it is not a directory.")
        #expect(
            text(.unreadableArtifact, "cannot open it: Permission denied")
                == "Cannot read the artifact /p: cannot open it: Permission denied.")
        #expect(
            text(.artifactChanged, "it shrank by 3 bytes while being read")
                == "The artifact /p changed while it was being archived: it shrank by 3 bytes while being read.")
        #expect(
            text(.invalidOptions, "compression level 42 rejected.")
                == "Cannot configure the artifacts archive /p: compression level 42 rejected.")
        #expect(text(.publishFailed, "x") == "Cannot publish the artifacts archive /p: x.")
        #expect(
            text(.readerFailed, "the kernel refused openat2")
                == "Cannot read the artifacts directory /p: the kernel refused openat2.")
        #expect(ArtifactError.Code.writeFailed.rawValue == "write-failed")
    }
}
