extension JobResult {
    /// The job's log files and whether any lacks part of what was written:
    /// `result.json`'s `logs`.
    ///
    /// ```swift
    /// JobResult.Logs(maximumBytes: 1_048_576, files: [.init(file: "stdout.log", bytes: 5_000_000, droppedBytes: 3_951_424, error: nil)])
    ///     .truncated   // true
    /// ```
    package struct Logs: Sendable, Equatable, Encodable {
        /// One log file.
        package struct File: Sendable, Equatable, Encodable {
            /// `stdout.log`, `stderr.log` or `combined.log`.
            package var file: String
            /// Bytes written to it by the job, dropped ones included.
            package var bytes: Int
            /// Bytes left out between head and tail (`output.max_log_bytes`).
            package var droppedBytes: Int
            /// Why the log stopped early (a full disk), if it did.
            package var error: String?

            package init(file: String, bytes: Int, droppedBytes: Int, error: String?) {
                self.file = file
                self.bytes = bytes
                self.droppedBytes = droppedBytes
                self.error = error
            }

            enum CodingKeys: String, CodingKey { case file, bytes, droppedBytes = "dropped_bytes", error }

            package func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(file, forKey: .file)
                try container.encode(bytes, forKey: .bytes)
                try container.encode(droppedBytes, forKey: .droppedBytes)
                try container.encode(error, forKey: .error)
            }
        }

        /// `output.max_log_bytes`, or `nil` when the logs are not capped.
        package var maximumBytes: Int?
        package var files: [File]

        package init(maximumBytes: Int?, files: [File]) {
            self.maximumBytes = maximumBytes
            self.files = files
        }

        /// Whether any log lacks part of what the job wrote.
        package var truncated: Bool { files.contains { $0.droppedBytes > 0 || $0.error != nil } }

        enum CodingKeys: String, CodingKey { case truncated, maximumBytes = "max_bytes", files }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(truncated, forKey: .truncated)
            try container.encode(maximumBytes, forKey: .maximumBytes)
            try container.encode(files, forKey: .files)
        }
    }
}
