import AgentSystem

/// Writes `result.json` atomically and last: its temporary file, one
/// `syncfs` of the output folder's file system (which flushes the logs, the
/// archive, the manifest and the provenance written before it, unflushed),
/// the rename, an fsync of the folder. So a `result.json` that survives a
/// crash of the machine never describes files that did not.
package enum ResultWriter {
    /// The file name inside the job's output folder.
    package static let fileName = "result.json"

    /// Writes `result` into `directory`, replacing any earlier result.
    package static func write(_ result: JobResult, into directory: String) throws(JobError) {
        let bytes: [UInt8]
        // With `integrity`, the file carries its own digest (`ResultSeal`).
        do { bytes = ResultSeal.seal(try result.jsonBytes()) } catch {
            throw JobError(.internalError, "Cannot encode result.json: \(error).")
        }
        do {
            try FileSystem.writeAtomically(
                bytes, to: Path.join(directory, fileName), mode: 0o644, durability: .fileSystem)
        } catch {
            throw JobError(.outputError, "Cannot write result.json: \(error).")
        }
    }
}
