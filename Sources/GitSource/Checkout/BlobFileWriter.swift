import AgentSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes a checkout's regular files (blob contents) with several threads
/// at once. Reading a blob (inflating its pack delta chain) and writing it
/// cost about the same, so on two cores two writers halve the time.
///
/// Each thread reads through its own handle on the repository (libgit2
/// objects are not shared between threads) and creates its files relative
/// to their directory's descriptor (`openat` with `O_CREAT|O_EXCL|O_NOFOLLOW`),
/// as ``CheckoutWriter`` does. The first failure stops every thread.
///
/// ```swift
/// let writer = BlobFileWriter(jobs: files, repositoryPath: repository.gitDirectory, threads: 2)
/// try writer.run(using: repository)
/// ```
final class BlobFileWriter: Sendable {
    /// One file to write: where, from which blob, with which mode.
    struct Job: Sendable {
        /// The open directory the file goes into (owned by the caller).
        var directory: Int32
        var name: [UInt8]
        var id: ObjectID
        var mode: mode_t
        /// The path inside the checkout, for messages.
        var path: String
    }

    /// Below this many files one thread writes them all.
    static let minimumFilesPerThread = 32

    /// The most threads worth starting here: the online CPUs, at most 4.
    static var defaultThreads: Int { min(4, Machine.onlineProcessors) }

    let jobs: [Job]
    let repositoryPath: String
    let threads: Int
    private let next = Atomic<Int>(0)
    private let failure = Mutex<CheckoutProblem?>(nil)

    init(jobs: [Job], repositoryPath: String, threads: Int) {
        self.jobs = jobs
        self.repositoryPath = repositoryPath
        self.threads = max(1, min(threads, jobs.count / Self.minimumFilesPerThread))
    }

    /// Writes every job: the calling thread with `repository`, the other
    /// threads with handles of their own. Returns once all have stopped.
    func run(using repository: Repository) throws(CheckoutProblem) {
        // A thread that cannot be started leaves its share to the others.
        let helpers = (1..<threads).compactMap { _ in try? WorkerThread { self.workOnOwnHandle() } }
        work(with: repository)
        for helper in helpers { helper.join() }
        if let problem = failure.withLock({ $0 }) { throw problem }
    }

    /// A started thread's body: its own repository handle, then the shared queue.
    private func workOnOwnHandle() {
        do throws(GitFailure) {
            work(with: try Repository.openBare(at: repositoryPath))
        } catch {
            record(CheckoutProblem(path: "", error))
        }
    }

    private func work(with repository: Repository) {
        while failure.withLock({ $0 == nil }) {
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < jobs.count else { return }
            do throws(CheckoutProblem) {
                try Self.write(jobs[index], from: repository)
            } catch {
                record(error)
            }
        }
    }

    private func record(_ problem: CheckoutProblem) {
        failure.withLock { if $0 == nil { $0 = problem } }
    }

    private static func write(_ job: Job, from repository: Repository) throws(CheckoutProblem) {
        let blob = try CheckoutWriter.lookup(job.id, type: .blob, path: job.path, in: repository)
        let fd = system_openat(
            job.directory, CheckoutWriter.cString(job.name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600
        )
        guard fd >= 0 else { throw CheckoutProblem(path: job.path, .last("create", path: job.path)) }
        do throws(CheckoutProblem) {
            try blob.withBlobContents { (bytes) throws(CheckoutProblem) in
                do throws(SystemError) {
                    try FileSystem.writeAll(fd, bytes, path: job.path)
                } catch {
                    throw CheckoutProblem(path: job.path, error)
                }
            }
            guard system_fchmod(fd, job.mode) == 0 else {
                throw CheckoutProblem(path: job.path, .last("change the mode of", path: job.path))
            }
        } catch {
            system_close(fd)
            throw error
        }
        guard system_close(fd) == 0 else { throw CheckoutProblem(path: job.path, .last("close", path: job.path)) }
    }
}
