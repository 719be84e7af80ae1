import AgentSystem
import Artifacts
import ConfigKeys
import GitSource
import Report

/// `sf-agent verify DIR`: recomputes every digest a job's folder states
/// and names each that does not match.
///
/// ```swift
/// let report = try JobFolderVerifier(folder: "/output/job-1").verify()
/// print(report.verified ? "verified" : report.mismatches.map(\.description).joined(separator: "\n"))
/// ```
///
/// What is checked (docs/reproducible-runs.md): `result.json` against its
/// own digest; every file `integrity.files` lists, and no file beside them;
/// `.attempt` against `attempt`; the archive's size and SHA-256; each
/// archived entry against `manifest.json` and `result.json`'s counts; the
/// provenance's subjects against the archive and its files, its materials
/// against the commit and the script; and, when a cache is given and holds
/// the commit, the script's digest against the script at that commit.
package struct JobFolderVerifier: Sendable {
    package var folder: String
    /// The cache to check the script against, with the repository's URL; nil: not checked.
    package var cache: GitCache?
    package var repositoryURL: String?

    package init(folder: String, cache: GitCache? = nil, repositoryURL: String? = nil) {
        self.folder = folder
        self.cache = cache
        self.repositoryURL = repositoryURL
    }

    /// What `verify` found.
    package struct Report: Sendable {
        package var mismatches: [FolderVerdict.Mismatch] = []
        /// What could not be checked, and why.
        package var notChecked: [String] = []
        /// `result.json` as read (nil when it could not be).
        package var result: RecordedFiles.Result?

        package var verified: Bool { mismatches.isEmpty }
    }

    /// The folder holds no `result.json`: not a job's folder, or an attempt still running.
    package struct MissingResult: AgentError {
        /// The one way to fail: no `result.json` to read.
        package enum Code: String, Sendable, CaseIterable { case noResult }
        package var code: Code { .noResult }
        package var folder: String
        package var message: String {
            "\(folder) holds no result.json: name a job's output folder (<\(ConfigKey.outputDir)>/<JOB_ID>) whose job has ended."
        }
    }

    /// Checks the folder.
    package func verify() throws(MissingResult) -> Report {
        var report = Report()
        let resultPath = Path.join(folder, ResultWriter.fileName)
        let resultBytes: [UInt8]
        do { resultBytes = try FileSystem.readFile(resultPath) } catch { throw MissingResult(folder: folder) }
        let result: RecordedFiles.Result
        switch RecordedFiles.decode(RecordedFiles.Result.self, from: resultBytes) {
        case .success(let decoded): result = decoded
        case .failure(let failure):
            report.mismatches.append(.init("result.json", "is not a readable result (\(failure.reason))"))
            return report
        }
        report.result = result
        checkResultSeal(resultBytes, result: result, into: &report)
        checkAttemptNumber(result, into: &report)
        checkRecordedFiles(result, into: &report)
        if let artifacts = result.artifacts { checkArtifacts(artifacts, result: result, into: &report) }
        checkScript(result, into: &report)
        return report
    }

    private func read(_ name: String, into report: inout Report) -> [UInt8]? {
        do { return try FileSystem.readFile(Path.join(folder, name)) } catch {
            report.mismatches.append(.init(name, "cannot be read: \(error)"))
            return nil
        }
    }

    private func checkResultSeal(_ bytes: [UInt8], result: RecordedFiles.Result, into report: inout Report) {
        // The seal is checked wherever it is found, whatever the rest of the
        // file now decodes to: an edit that hides the integrity record (a
        // renamed key) still changes the sealed bytes.
        if let seal = ResultSeal.check(bytes) {
            if seal.recorded != seal.computed {
                report.mismatches.append(
                    .init(
                        "result.json", "SHA-256 is \(seal.computed), but integrity.result_sha256 says \(seal.recorded)")
                )
            } else if result.integrity == nil {
                report.mismatches.append(
                    .init("result.json", "holds integrity.result_sha256 but no readable integrity record"))
            }
            return
        }
        if result.integrity != nil {
            report.mismatches.append(.init("result.json", "integrity.result_sha256 cannot be found once in the file"))
        } else if result.reproducibility != nil || Self.writesIntegrity(agentVersion: result.agentVersion) {
            report.mismatches.append(
                .init(
                    "result.json",
                    "records no integrity digests, which sf-agent \(result.agentVersion ?? "0.2.0 or later") writes"))
        } else {
            report.notChecked.append("result.json and the logs: written by an agent that recorded no integrity digests")
        }
    }

    /// Whether an agent of `version` seals every `result.json` (0.2.0 and later).
    static func writesIntegrity(agentVersion version: String?) -> Bool {
        guard let version else { return false }
        let numbers = version.split(separator: ".").map { Int($0) }
        guard numbers.count == 3, let major = numbers[0], let minor = numbers[1] else { return true }
        return (major, minor) >= (0, 2)
    }

    private func checkAttemptNumber(_ result: RecordedFiles.Result, into report: inout Report) {
        let path = Path.join(folder, ".attempt")
        guard FileSystem.exists(path), let attempt = result.attempt else { return }
        guard let bytes = read(".attempt", into: &report) else { return }
        let text = String(decoding: bytes, as: UTF8.self).trimmingSuffix { $0 == "\n" }
        if text != String(attempt) {
            report.mismatches.append(.init(".attempt", "says `\(text)`, but result.json is attempt \(attempt)"))
        }
    }

    private func checkRecordedFiles(_ result: RecordedFiles.Result, into report: inout Report) {
        guard let integrity = result.integrity else { return }
        for (name, recorded) in integrity.files.sorted(by: { $0.key < $1.key }) {
            let path = Path.join(folder, name)
            guard FileSystem.exists(path) else {
                report.mismatches.append(.init(name, "is missing (result.json records SHA-256 \(recorded))"))
                continue
            }
            do {
                let actual = try Digest.sha256(ofFile: path)
                if actual != recorded {
                    report.mismatches.append(.init(name, "SHA-256 is \(actual), but result.json records \(recorded)"))
                }
            } catch {
                report.mismatches.append(.init(name, "cannot be read: \(error)"))
            }
        }
        // Anything else in the folder, of any kind, came after the job: only the
        // agent's own bookkeeping (the lock, the attempt marker, earlier
        // attempts, refused duplicates) may be there unrecorded.
        let archive = result.artifacts?.file
        let bookkeeping = JobAttempt.reservedNames
        for name in ((try? FileSystem.directoryEntries(folder)) ?? []).sorted()
        where name != ResultWriter.fileName && name != archive && integrity.files[name] == nil
            && !bookkeeping.contains(name)
        {
            report.mismatches.append(.init(name, "is not recorded in result.json: it was added after the job"))
        }
    }

    private func checkArtifacts(
        _ artifacts: RecordedFiles.Result.Artifacts, result: RecordedFiles.Result, into report: inout Report
    ) {
        let path = Path.join(folder, artifacts.file)
        do {
            let actual = try Digest.sha256(ofFile: path)
            if actual != artifacts.sha256 {
                report.mismatches.append(
                    .init(artifacts.file, "SHA-256 is \(actual), but result.json records \(artifacts.sha256)"))
            }
        } catch {
            report.mismatches.append(.init(artifacts.file, "cannot be read: \(error)"))
            return
        }
        if let status = try? FileSystem.linkStatus(path), status.size != artifacts.bytes {
            report.mismatches.append(
                .init(artifacts.file, "is \(status.size) bytes, but result.json records \(artifacts.bytes)"))
        }
        let contents: [ArchiveContents.Entry]
        do { contents = try ArchiveContents.read(path) } catch {
            report.mismatches.append(.init(artifacts.file, "cannot be read back: \(error.reason)"))
            return
        }
        report.mismatches += FolderVerdict.compare(artifacts: artifacts, archive: contents)
        if let manifestName = artifacts.manifest, let bytes = read(manifestName, into: &report) {
            switch RecordedFiles.decode(RecordedFiles.Manifest.self, from: bytes) {
            case .success(let manifest):
                report.mismatches += FolderVerdict.compare(
                    manifest: manifest.entries, archive: contents, archiveName: artifacts.file)
            case .failure(let failure):
                report.mismatches.append(.init(manifestName, "is not a readable manifest (\(failure.reason))"))
            }
        }
        guard let bytes = read(ProvenanceStatement.fileName, into: &report) else { return }
        switch RecordedFiles.decode(RecordedFiles.Provenance.self, from: bytes) {
        case .success(let provenance):
            report.mismatches += FolderVerdict.compare(
                subjects: provenance.subject, archive: contents, archiveName: artifacts.file,
                archiveSHA256: artifacts.sha256)
            report.mismatches += FolderVerdict.compare(dependencies: provenance.dependencies, result: result)
        case .failure(let failure):
            report.mismatches.append(
                .init(ProvenanceStatement.fileName, "is not a readable provenance statement (\(failure.reason))"))
        }
    }

    private func checkScript(_ result: RecordedFiles.Result, into report: inout Report) {
        guard let script = result.script, let commit = result.commit else { return }
        guard let cache, let repositoryURL else {
            report.notChecked.append(
                "the script's digest against the commit: no cache configured (\(ConfigKey.repoURL), \(ConfigKey.cacheDir))"
            )
            return
        }
        guard RepositoryURL.redacted(repositoryURL) == result.repository else {
            report.notChecked.append(
                "the script's digest against the commit: the job ran \(result.repository ?? "no repository"), the configuration names \(RepositoryURL.redacted(repositoryURL))"
            )
            return
        }
        do {
            guard let actual = try cache.fileSHA256(url: repositoryURL, commit: commit, path: script.path) else {
                report.notChecked.append(
                    "the script's digest against the commit: the cache does not hold commit \(commit)")
                return
            }
            if actual != script.sha256 {
                report.mismatches.append(
                    .init(
                        "result.json",
                        "script \(script.path) at \(commit) has SHA-256 \(actual) in the cache, but result.json records \(script.sha256)"
                    ))
            }
        } catch {
            report.mismatches.append(.init("result.json", "script \(script.path) at \(commit): \(error.message)"))
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var text = self
        while let last = text.last, predicate(last) { text.removeLast() }
        return text
    }
}
