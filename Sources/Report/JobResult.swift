/// The record of one job, written as `result.json` last, so its presence
/// means the job's output folder is complete. See docs/result-format.md.
package struct JobResult: Sendable, Equatable {
    /// Bumped when a field changes meaning or disappears.
    package static let schemaVersion = 1

    package struct Script: Sendable, Equatable, Encodable {
        /// Path relative to the checkout.
        package var path: String
        package var sha256: String
        package init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    package struct User: Sendable, Equatable {
        package var uid: UInt32
        package var gid: UInt32
        package var groups: [UInt32]
        package var name: String?
        package init(uid: UInt32, gid: UInt32, groups: [UInt32], name: String?) {
            self.uid = uid
            self.gid = gid
            self.groups = groups
            self.name = name
        }
    }

    package struct Durations: Sendable, Equatable {
        package var fetch: Int?
        package var checkout: Int?
        package var run: Int?
        package var archive: Int?
        package init(fetch: Int? = nil, checkout: Int? = nil, run: Int? = nil, archive: Int? = nil) {
            self.fetch = fetch
            self.checkout = checkout
            self.run = run
            self.archive = archive
        }
    }

    package struct Artifacts: Sendable, Equatable, Encodable {
        /// File name inside the job's output folder.
        package var file: String
        package var bytes: Int
        package var sha256: String
        package var entries: Int
        /// Paths not archived (devices, sockets, fifos).
        package var skipped: [String]
        /// `manifest.json` beside the archive, if written.
        package var manifest: String? = nil
        /// Total size of the regular files, before compression.
        package var fileBytes = 0
        /// Artifacts holding a secret value in their contents, name or
        /// symlink target (`artifacts.scan_secrets = warn`).
        package var secretFiles: [String] = []
        /// Entries left out because the reader could not read them.
        package var unreadable: [Unreadable] = []

        /// An entry that is not in the archive, and why.
        package struct Unreadable: Sendable, Equatable, Encodable {
            package var path: String
            package var reason: String

            package init(path: String, reason: String) {
                self.path = path
                self.reason = reason
            }
        }

        package init(file: String, bytes: Int, sha256: String, entries: Int, skipped: [String]) {
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

        package func encode(to encoder: any Encoder) throws {
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

    package var jobID: String
    /// Which run of this `JOB_ID` this is, from 1; earlier attempts are kept
    /// under `<JOB_ID>/attempts/<n>/`. Nil for a duplicate refused while
    /// another agent ran the job (it is no attempt).
    package var attempt: Int? = nil
    package var scriptID: String?
    package var status: JobStatus
    /// The script's exit code when it exited on its own.
    package var exitCode: Int32?
    /// The signal that ended the script (`SIGKILL`), if one did.
    package var signal: String?
    /// Repository URL with credentials stripped.
    package var repository: String?
    package var ref: String?
    package var commit: String?
    package var script: Script?
    /// The argv the script ran with, secrets masked.
    package var argv: [String]?
    package var user: User?
    /// The protections the script ran under; nil when it was not launched.
    package var sandbox: Sandbox?
    package var startedAt: String
    package var finishedAt: String
    package var durationsMilliseconds: Durations
    package var artifacts: Artifacts?
    package var agentVersion: String
    /// The code the agent exits with.
    package var agentExitCode: Int32
    package var error: JobError?
    /// The job's logs, once it ran: sizes and truncation.
    package var logs: Logs? = nil
    /// How the source was obtained and verified; nil before the fetch.
    package var source: Source?
    /// Delivery to `report.url`, when one is configured.
    package var report: ReportDelivery? = nil
    /// What `sf-agent replay` needs to run the job again; nil before the plan.
    package var reproducibility: Reproducibility? = nil
    /// Digests of the folder's files and of `result.json` itself; nil where
    /// no folder holds the result (a duplicate's refusal, the report POST).
    package var integrity: Integrity? = nil

    package init(
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
