/// The record of one job, written as `result.json` last, so its presence
/// means the job's output folder is complete. See docs/result-format.md.
public struct JobResult: Sendable, Equatable {
    /// Bumped when a field changes meaning or disappears.
    public static let schemaVersion = 1

    public struct Script: Sendable, Equatable, Encodable {
        /// Path relative to the checkout.
        public var path: String
        public var sha256: String
        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public struct User: Sendable, Equatable {
        public var uid: UInt32
        public var gid: UInt32
        public var groups: [UInt32]
        public var name: String?
        public init(uid: UInt32, gid: UInt32, groups: [UInt32], name: String?) {
            self.uid = uid
            self.gid = gid
            self.groups = groups
            self.name = name
        }
    }

    public struct Durations: Sendable, Equatable {
        public var fetch: Int?
        public var checkout: Int?
        public var run: Int?
        public var archive: Int?
        public init(fetch: Int? = nil, checkout: Int? = nil, run: Int? = nil, archive: Int? = nil) {
            self.fetch = fetch
            self.checkout = checkout
            self.run = run
            self.archive = archive
        }
    }

    public struct Artifacts: Sendable, Equatable, Encodable {
        /// File name inside the job's output folder.
        public var file: String
        public var bytes: Int
        public var sha256: String
        public var entries: Int
        /// Paths not archived (devices, sockets, fifos).
        public var skipped: [String]
        /// `manifest.json` beside the archive, if written.
        public var manifest: String? = nil
        /// Total size of the regular files, before compression.
        public var fileBytes = 0
        /// Artifacts holding a secret value in their contents, name or
        /// symlink target (`artifacts.scan_secrets = warn`).
        public var secretFiles: [String] = []
        /// Entries left out because the reader could not read them.
        public var unreadable: [Unreadable] = []

        /// An entry that is not in the archive, and why.
        public struct Unreadable: Sendable, Equatable, Encodable {
            public var path: String
            public var reason: String

            public init(path: String, reason: String) {
                self.path = path
                self.reason = reason
            }
        }

        public init(file: String, bytes: Int, sha256: String, entries: Int, skipped: [String]) {
            self.file = file
            self.bytes = bytes
            self.sha256 = sha256
            self.entries = entries
            self.skipped = skipped
        }

        enum CodingKeys: String, CodingKey {
            case file, bytes, sha256, entries, skipped, manifest, fileBytes = "file_bytes", secretFiles = "secret_files"
            case unreadable
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(bytes, forKey: .bytes)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(entries, forKey: .entries)
            try container.encode(skipped, forKey: .skipped)
            try container.encode(manifest, forKey: .manifest)
            try container.encode(fileBytes, forKey: .fileBytes)
            try container.encode(secretFiles, forKey: .secretFiles)
            try container.encode(unreadable, forKey: .unreadable)
        }
    }

    public var jobID: String
    /// Which run of this `JOB_ID` this is, from 1; earlier attempts are kept
    /// under `<JOB_ID>/attempts/<n>/`. Nil for a duplicate refused while
    /// another agent ran the job (it is no attempt).
    public var attempt: Int? = nil
    public var scriptID: String?
    public var status: JobStatus
    /// The script's exit code when it exited on its own.
    public var exitCode: Int32?
    /// The signal that ended the script (`SIGKILL`), if one did.
    public var signal: String?
    /// Repository URL with credentials stripped.
    public var repository: String?
    public var ref: String?
    public var commit: String?
    public var script: Script?
    /// The argv the script ran with, secrets masked.
    public var argv: [String]?
    public var user: User?
    /// The protections the script ran under; nil when it was not launched.
    public var sandbox: Sandbox?
    public var startedAt: String
    public var finishedAt: String
    public var durationsMilliseconds: Durations
    public var artifacts: Artifacts?
    public var agentVersion: String
    /// The code the agent exits with.
    public var agentExitCode: Int32
    public var error: JobError?
    /// The job's logs, once it ran: sizes and truncation.
    public var logs: Logs? = nil
    /// How the source was obtained and verified; nil before the fetch.
    public var source: Source?
    /// Delivery to `report.url`, when one is configured.
    public var report: ReportDelivery? = nil
    /// What `sf-agent replay` needs to run the job again; nil before the plan.
    public var reproducibility: Reproducibility? = nil
    /// Digests of the folder's files and of `result.json` itself; nil where
    /// no folder holds the result (a duplicate's refusal, the report POST).
    public var integrity: Integrity? = nil

    public init(
        jobID: String, scriptID: String?, status: JobStatus, exitCode: Int32? = nil, signal: String? = nil,
        repository: String? = nil, ref: String? = nil, commit: String? = nil, script: Script? = nil,
        argv: [String]? = nil, user: User? = nil, sandbox: Sandbox? = nil, startedAt: String, finishedAt: String,
        durationsMilliseconds: Durations = Durations(), artifacts: Artifacts? = nil,
        agentVersion: String, agentExitCode: Int32, error: JobError? = nil, source: Source? = nil
    ) {
        self.source = source
        self.jobID = jobID
        self.scriptID = scriptID
        self.status = status
        self.exitCode = exitCode
        self.signal = signal
        self.repository = repository
        self.ref = ref
        self.commit = commit
        self.script = script
        self.argv = argv
        self.user = user
        self.sandbox = sandbox
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationsMilliseconds = durationsMilliseconds
        self.artifacts = artifacts
        self.agentVersion = agentVersion
        self.agentExitCode = agentExitCode
        self.error = error
    }
}
