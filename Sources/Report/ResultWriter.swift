import AgentSystem

/// Writes `result.json` atomically: temporary name, fsync, rename.
public enum ResultWriter {
    /// The file name inside the job's output folder.
    public static let fileName = "result.json"

    /// Writes `result` into `directory`, replacing any earlier result.
    public static func write(_ result: JobResult, into directory: String) throws(JobError) {
        let bytes: [UInt8]
        // With `integrity`, the file carries its own digest (`ResultSeal`).
        do { bytes = ResultSeal.seal(try result.jsonBytes()) } catch {
            throw JobError(.internalError, "Cannot encode result.json: \(error).")
        }
        do {
            try FileSystem.writeAtomically(bytes, to: Path.join(directory, fileName), mode: 0o644)
        } catch {
            throw JobError(.outputError, "Cannot write result.json: \(error).")
        }
    }
}
