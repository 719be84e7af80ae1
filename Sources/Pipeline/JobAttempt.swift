import AgentSystem
import ConfigKeys
import Report

#if canImport(Glibc)
import Glibc
#endif

/// One agent's hold on a `JOB_ID`'s output folder `<output.dir>/<JOB_ID>/`,
/// taken before anything else of the job happens:
///
/// - an exclusive `flock` on `<JOB_ID>/.lock`, kept until the agent has
///   written its result (the kernel drops it if the agent dies), so a second
///   agent with the same `JOB_ID` is refused instead of touching this one's
///   files;
/// - the attempt number: the previous attempt's files, which lie at the top
///   of the folder, are moved (never deleted) into `attempts/<m>/`, and this
///   attempt, number `m + 1`, writes at the top, where the logs, the archive
///   and `result.json` have always been.
///
/// ```
/// <output.dir>/<JOB_ID>/
///   .lock  .attempt             the JOB_ID lock; the number of the attempt at the top
///   stdout.log … result.json    the latest attempt
///   attempts/1/ attempts/2/     earlier attempts, whole, as they were
///   duplicates/<time>-<pid>.json  refusals of agents that found the job running
/// ```
///
/// ```swift
/// switch JobAttempt.claim(jobID: "job-1", outputDirectory: "/output") {
/// case .claimed(let attempt): print(attempt.number)     // 1, 2, …
/// case .inProgress(let folder): print("another agent runs \(folder)")
/// case .failed(let error): print(error.message)       // why nothing can be written
/// }
/// ```
final class JobAttempt {
    /// The job's folder; the attempt writes its files here.
    let folder: String
    /// From 1.
    let number: Int
    private var lockDescriptor: Int32

    /// The lock file's name inside the job's folder.
    static let lockName = ".lock"
    /// The file naming the attempt whose files are at the top of the folder.
    static let markerName = ".attempt"
    /// Earlier attempts: `attempts/<n>/`.
    static let attemptsName = "attempts"
    /// Refusals of duplicate agents: `duplicates/<time>-<pid>.json`.
    static let duplicatesName = "duplicates"
    /// Names at the top of a job's folder that belong to no attempt.
    static let reservedNames: Set<String> = [lockName, markerName, attemptsName, duplicatesName]

    private init(folder: String, number: Int, lockDescriptor: Int32) {
        self.folder = folder
        self.number = number
        self.lockDescriptor = lockDescriptor
    }

    deinit { release() }

    /// Drops the lock; another agent may take the `JOB_ID` from now on.
    func release() {
        if lockDescriptor >= 0 { system_close(lockDescriptor) }
        lockDescriptor = -1
    }

    /// What ``claim(jobID:outputDirectory:)`` found.
    enum Claim {
        /// The folder is this agent's until ``release()``.
        case claimed(JobAttempt)
        /// Another agent holds the job's lock; its folder is `jobFolder`.
        case inProgress(jobFolder: String)
        /// Nothing can be written for this job (the sentence says why).
        case failed(JobError)
    }

    /// How long a held lock is waited for before the job counts as running
    /// elsewhere: a holder that is exiting (its last descriptor of the lock
    /// may live on for a moment in a child between `fork` and `exec`)
    /// lets go within it; a running agent does not.
    static let lockPatience: Duration = .seconds(1)

    /// Creates `<outputDirectory>/<jobID>/` if missing, takes its lock
    /// (waiting at most ``lockPatience``), moves the previous attempt into
    /// `attempts/`, and numbers this one.
    static func claim(jobID: String, outputDirectory: String) -> Claim {
        let folder = Path.join(outputDirectory, jobID)
        do throws(SystemError) {
            try FileSystem.makeDirectories(outputDirectory, mode: 0o755)
            try makeFolder(folder)
        } catch {
            return .failed(
                OutputProblem.jobError("Cannot create the job's output folder", error, outputDirectory: outputDirectory)
            )
        }
        let lockPath = Path.join(folder, lockName)
        let descriptor = system_open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            return .failed(
                OutputProblem.jobError(
                    "Cannot open the job's lock", .last("open", path: lockPath), outputDirectory: outputDirectory))
        }
        system_fchmod(descriptor, 0o644)
        let deadline = ContinuousClock.now + lockPatience
        while system_flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = currentErrno()
            if error == EINTR { continue }
            if error == EWOULDBLOCK && ContinuousClock.now < deadline {
                system_usleep(20_000)
                continue
            }
            system_close(descriptor)
            if error == EWOULDBLOCK { return .inProgress(jobFolder: folder) }
            return .failed(
                OutputProblem.jobError(
                    "Cannot lock the job's folder", SystemError(operation: "lock", path: lockPath, errno: error),
                    outputDirectory: outputDirectory))
        }
        do throws(SystemError) {
            let previous = try shelvePreviousAttempt(in: folder)
            let number = max(previous ?? 0, try attemptNumbers(in: folder).max() ?? 0) + 1
            try FileSystem.writeAtomically(Array("\(number)\n".utf8), to: Path.join(folder, markerName), mode: 0o644)
            return .claimed(JobAttempt(folder: folder, number: number, lockDescriptor: descriptor))
        } catch {
            system_close(descriptor)
            return .failed(
                OutputProblem.jobError(
                    "Cannot keep the previous attempt of job \(jobID) (it stays where it is, and this attempt ran nothing)",
                    error, outputDirectory: outputDirectory))
        }
    }

    /// The attempt numbers under `attempts/`.
    static func attemptNumbers(in folder: String) throws(SystemError) -> [Int] {
        let attempts = Path.join(folder, attemptsName)
        guard FileSystem.isDirectory(attempts) else { return [] }
        return try FileSystem.directoryEntries(attempts).compactMap(attemptNumber)
    }

    /// `"12"` → 12; anything but a positive decimal without leading zeros → nil.
    static func attemptNumber(_ name: String) -> Int? {
        guard let number = Int(name), number > 0, String(number) == name else { return nil }
        return number
    }

    /// Moves what an earlier attempt left at the top of `folder` into
    /// `attempts/<m>/`, `m` being the number that attempt wrote in
    /// `.attempt` (for a folder an earlier agent version wrote, the next free
    /// number), `result.json` last so that an interrupted move resumes into
    /// the same folder. Temporary files a killed attempt left (`.name.tmp-N`,
    /// `.name.tail`) are incomplete by construction and removed. Returns `m`,
    /// or nil when there was nothing to move.
    static func shelvePreviousAttempt(in folder: String) throws(SystemError) -> Int? {
        let entries = try FileSystem.directoryEntries(folder).filter { !reservedNames.contains($0) }
        for name in entries where name.hasPrefix(".") { try FileSystem.removeTree(Path.join(folder, name)) }
        let files = entries.filter { !$0.hasPrefix(".") }
        let marker = Path.join(folder, markerName)
        guard !files.isEmpty else {
            try? FileSystem.removeTree(marker)
            return nil
        }
        let recorded = (try? FileSystem.readFile(marker)).flatMap {
            attemptNumber(String(decoding: $0, as: UTF8.self).trimmingSuffix("\n"))
        }
        let number: Int
        if let recorded { number = recorded } else { number = (try attemptNumbers(in: folder).max() ?? 0) + 1 }
        let destination = Path.join(folder, attemptsName, String(number))
        try makeFolder(Path.join(folder, attemptsName))
        try makeFolder(destination)
        for name in files.sorted(by: { order($0) < order($1) }) {
            var target = Path.join(destination, name)
            var suffix = 1
            while FileSystem.exists(target) {
                target = Path.join(destination, "\(name).\(suffix)")
                suffix += 1
            }
            try FileSystem.rename(Path.join(folder, name), to: target)
        }
        FileSystem.syncDirectory(destination)
        try FileSystem.removeTree(marker)
        FileSystem.syncDirectory(folder)
        return number
    }

    /// `result.json` moves last: while it is still at the top, the move is unfinished.
    private static func order(_ name: String) -> (Int, String) {
        (name == ResultWriter.fileName ? 1 : 0, name)
    }

    /// Creates one folder mode 0755 (whatever the umask); an existing folder is left as it is.
    static func makeFolder(_ path: String) throws(SystemError) {
        if FileSystem.isDirectory(path) { return }
        do { try FileSystem.makeDirectory(path, mode: 0o755) } catch {
            if error.errno != EEXIST { throw error }
        }
    }

    /// Writes the refusal of a duplicate agent as
    /// `<jobFolder>/duplicates/<time>-<pid>.json`, beside (never in) the
    /// running attempt's files; returns its path.
    static func writeDuplicateRefusal(_ bytes: [UInt8], jobFolder: String, at time: Timestamp) throws(SystemError)
        -> String
    {
        let folder = Path.join(jobFolder, duplicatesName)
        try makeFolder(folder)
        let stamp = time.rfc3339.replacing(":", with: "-")
        let path = Path.join(folder, "\(stamp)-\(ProcessIdentity.processID).json")
        try FileSystem.writeAtomically(bytes, to: path, mode: 0o644)
        return path
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// What `sf-agent gc` did to the jobs' earlier attempts (`output.keep_attempts`).
package struct AttemptPruning: Sendable, Equatable {
    /// The `attempts/<n>` folders removed.
    package var removed: [String] = []
    /// Job folders left alone because an agent holds their lock.
    package var running: [String] = []
    /// What could not be removed, as sentences.
    package var failures: [String] = []
}

extension JobAttempt {
    /// The attempt numbers to remove so that `keep` attempts remain, the
    /// latest (at the top of the job's folder, not under `attempts/`)
    /// counted: the oldest go first. Pure.
    ///
    /// ```swift
    /// JobAttempt.attemptsToRemove([1, 2, 3, 4], keep: 2)   // [1, 2, 3]: attempt 4 and the top one stay
    /// ```
    static func attemptsToRemove(_ numbers: [Int], keep: Int) -> [Int] {
        let sorted = numbers.sorted()
        let kept = max(0, keep - 1)
        return Array(sorted.dropLast(kept))
    }

    /// Trims every job folder of `outputDirectory` to `keep` attempts,
    /// skipping a job whose lock another agent holds.
    static func prune(outputDirectory: String, keep: Int) -> AttemptPruning {
        var pruning = AttemptPruning()
        guard FileSystem.isDirectory(outputDirectory) else { return pruning }
        let jobs: [String]
        do { jobs = try FileSystem.directoryEntries(outputDirectory).sorted() } catch {
            pruning.failures.append("Cannot list \(ConfigKey.outputDir): \(error).")
            return pruning
        }
        for job in jobs {
            let folder = Path.join(outputDirectory, job)
            guard FileSystem.isDirectory(Path.join(folder, attemptsName)) else { continue }
            let descriptor = system_open(Path.join(folder, lockName), O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            defer { if descriptor >= 0 { system_close(descriptor) } }
            if descriptor >= 0 && system_flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                pruning.running.append(folder)
                continue
            }
            do throws(SystemError) {
                for number in attemptsToRemove(try attemptNumbers(in: folder), keep: keep) {
                    let path = Path.join(folder, attemptsName, String(number))
                    try FileSystem.removeTree(path)
                    pruning.removed.append(path)
                }
            } catch {
                pruning.failures.append("Cannot trim the attempts of \(folder): \(error).")
            }
        }
        return pruning
    }
}

extension JobPipeline {
    /// Removes the oldest attempts of every job in `output.dir` beyond
    /// `output.keep_attempts` (nothing when it is 0); a job another agent
    /// is running is left alone.
    package func pruneAttempts() -> AttemptPruning {
        guard let keep = configuration.output.keepAttempts else { return AttemptPruning() }
        return JobAttempt.prune(outputDirectory: configuration.outputDirectory, keep: keep)
    }
}
