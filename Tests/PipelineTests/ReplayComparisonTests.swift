import Testing

@testable import Pipeline

@Suite struct ReplayComparisonTests {
    let digest = String(repeating: "a", count: 64)
    let other = String(repeating: "b", count: 64)

    @Test func configurationDifferencesNameKeyAndBothValues() {
        let found = ReplayComparison.configurationDifferences(
            recorded: ["run.timeout": "60s", "run.user": "runner", "sandbox.network": "none"],
            current: ["run.timeout": "120s", "run.user": "runner", "limits.cpu_seconds": "3600"])
        #expect(
            found == [
                "limits.cpu_seconds: recorded `(not recorded)`, now `3600`",
                "run.timeout: recorded `60s`, now `120s`",
                "sandbox.network: recorded `none`, now `(not a recorded key)`",
            ])
        #expect(ReplayComparison.configurationDifferences(recorded: ["a": "1"], current: ["a": "1"]).isEmpty)
    }

    @Test func differingFilesAreNamedWithWhatChanged() {
        let original: [RecordedFiles.Manifest.Entry] = [
            .init(path: "stable.txt", type: "file", size: 7, mode: "0644", sha256: digest),
            .init(path: "stamp.txt", type: "file", size: 20, mode: "0644", sha256: digest),
            .init(path: "gone.txt", type: "file", size: 1, mode: "0644", sha256: digest),
        ]
        let replay: [RecordedFiles.Manifest.Entry] = [
            .init(path: "stable.txt", type: "file", size: 7, mode: "0644", sha256: digest),
            .init(path: "stamp.txt", type: "file", size: 20, mode: "0600", sha256: other),
            .init(path: "new.txt", type: "file", size: 1, mode: "0644", sha256: digest),
        ]
        #expect(
            ReplayComparison.differingFiles(original: original, replay: replay) == [
                "gone.txt: only in the original",
                "new.txt: only in the replay",
                "stamp.txt: SHA-256 \(digest) → \(other), mode 0644 → 0600",
            ])
    }

    @Test func theOutcomeSaysReproducedOnlyWhenEverythingMatches() {
        var outcome = ReplayComparison.Outcome(
            identicalArchive: true, differingFiles: [], originalStatus: "succeeded", replayStatus: "succeeded",
            originalExitCode: 0, replayExitCode: 0)
        #expect(outcome.reproduced)
        #expect(
            outcome.lines == ["reproduced: identical artifacts", "status: succeeded (same)", "exit code: 0 (same)"])
        outcome.replayStatus = "failed"
        outcome.replayExitCode = 3
        #expect(!outcome.reproduced)
        #expect(outcome.lines.suffix(2) == ["status: failed (was succeeded)", "exit code: 3 (was 0)"])
        outcome.identicalArchive = false
        #expect(outcome.lines.first == "artifacts differ: the archives' bytes differ though every entry matches")
    }

    @Test func aDerivedJobIDFitsAndSaysReplay() {
        let id = JobReplay.derivedJobID(
            String(repeating: "j", count: 128), now: .init(seconds: 1_764_417_600, nanoseconds: 250_000_000))
        #expect(id.utf8.count <= 128)
        #expect(id.hasSuffix("-replay-20251129120000250"))
    }
}

@Suite struct ShapingValuesTests {
    func values(_ settings: [String: String]) throws -> [String: String] {
        let world = try PipelineWorld(settings: settings)
        defer { world.remove() }
        return ShapingValues.of(world.pipeline.configuration).values
    }

    @Test func theRecordedKeysAreThoseThatShapeARun() throws {
        let values = try values(["run.timeout": "1500ms", "artifacts.threads": "3", "repo.ref": "v1"])
        #expect(values["run.timeout"] == "1500ms")
        #expect(values["artifacts.compression"] == "gzip")
        #expect(values["limits.cpu_seconds"] == "3600")
        #expect(values["artifacts.threads"] == nil, "the bytes do not depend on it")
        #expect(values["repo.ref"] == nil, "a replay runs the recorded commit")
        #expect(values["policy.allowed_scripts"] == nil)
        #expect(Set(values.keys) == Set(ShapingValues.keys.map(\.name)))
        #expect(try self.values(["run.timeout": "2m"])["run.timeout"] == "120s")
    }

    @Test func credentialsInTheURLAreNotRecorded() throws {
        let values = try values(["repo.url": "https://user:hunter2-secret@git.example/scripts.git"])
        #expect(values["repo.url"]?.contains("hunter2") == false)
    }
}
