import AgentSystem
import Artifacts
import JobInput
import Report
import Secrets

/// Builds `provenance.json` for a job whose archive was published.
///
/// ```swift
/// let statement = JobProvenance.statement(job: job, record: record, archive: summary, masker: masker, runnerImage: image)
/// try statement?.write(into: folder)
/// ```
enum JobProvenance {
    /// `nil` until the script ran from a known commit.
    static func statement(
        job: JobRequest, record: JobRecord, archive: ArchiveSummary, masker: SecretMasker, runnerImage: String?
    ) -> ProvenanceStatement? {
        guard let commit = record.commit, let ref = record.ref, let script = record.script else { return nil }
        let subjects =
            [ProvenanceStatement.Subject(name: Path.lastComponent(of: archive.path), sha256: archive.sha256)]
            + archive.fileDigests.map { ProvenanceStatement.Subject(name: masker.mask($0.path), sha256: $0.sha256) }
        var statement = ProvenanceStatement(
            jobID: job.jobID, scriptID: job.scriptID, repository: masker.mask(record.repository), ref: masker.mask(ref),
            commit: commit, scriptPath: script.path, scriptSHA256: script.sha256,
            parameters: parameters(job.parameters, masker: masker), argv: (record.argv ?? []).map(masker.mask),
            runnerImage: runnerImage, agentVersion: AgentVersion.current, startedAt: record.startedAt.rfc3339,
            finishedAt: Timestamp.now().rfc3339, subjects: subjects, tag: record.source?.tag,
            signature: record.source?.signature.map { signature in
                var masked = signature
                masked.signer = masker.mask(signature.signer)
                return masked
            })
        statement.attempt = record.attempt
        return statement
    }

    /// The parameters as a JSON object in their original order, strings masked.
    static func parameters(_ parameters: Parameters, masker: SecretMasker) -> JSONValue {
        func scalar(_ value: ParameterScalar) -> JSONValue {
            switch value {
            case .string(let text): .string(masker.mask(text))
            case .number(let number): .number(number)
            case .bool(let flag): .bool(flag)
            case .null: .null
            }
        }
        return .object(
            parameters.entries.map { entry in
                switch entry.value {
                case .scalar(let value): (masker.mask(entry.name), scalar(value))
                case .array(let items): (masker.mask(entry.name), .array(items.map(scalar)))
                }
            })
    }
}
