import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// Writes a git tree to a new directory, read-only, without ever following
/// a symlink.
///
/// Every file, directory and symlink is created relative to its parent's
/// directory descriptor (`openat` with `O_CREAT|O_EXCL|O_NOFOLLOW`,
/// `mkdirat`, `symlinkat`), so an entry cannot redirect a later write.
/// Blob contents are written raw (no filters, no line-ending conversion).
/// Files become 0444, executables 0555, directories 0555 once their
/// contents are complete; symlinks stay symlinks; submodule entries
/// (gitlinks) are skipped.
///
/// The walk (one thread) creates directories and symlinks and collects the
/// regular files; ``BlobFileWriter`` then writes those with several
/// threads. A directory's descriptor stays open until its files are
/// written, at most ``maximumOpenDirectories`` at a time: past that, the
/// collected files are written and every finished directory is closed.
struct CheckoutWriter {
    /// Trees nested deeper than this are refused rather than risking the stack.
    static let maximumDepth = 512
    /// Directory descriptors held open (besides the walk's own path) before the files collected so far are written.
    static let maximumOpenDirectories = 256

    let repository: Repository
    /// Threads writing file contents.
    var threads = BlobFileWriter.defaultThreads

    /// The walk's state: open directories and the files not yet written.
    private struct Pending {
        struct Directory {
            var fd: Int32
            var path: String
            /// Walked whole: complete once its collected files are written.
            var walked = false
        }

        var directories: [Directory] = []
        var files: [BlobFileWriter.Job] = []

        mutating func closeAll() {
            for directory in directories { system_close(directory.fd) }
            directories.removeAll()
        }
    }

    /// Creates `directory` (which must not exist yet) and writes `tree` into it.
    func write(_ tree: Tree, to directory: String) throws(CheckoutProblem) {
        guard system_mkdir(directory, 0o700) == 0 else {
            throw CheckoutProblem(path: "", .last("create directory", path: directory))
        }
        let fd = system_open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw CheckoutProblem(path: "", .last("open directory", path: directory)) }
        var pending = Pending()
        pending.directories.append(.init(fd: fd, path: ""))
        defer { pending.closeAll() }
        try writeEntries(of: tree, into: fd, at: "", depth: 0, pending: &pending)
        pending.directories[0].walked = true
        try flush(&pending)
    }

    private func writeEntries(of tree: Tree, into directory: Int32, at path: String, depth: Int, pending: inout Pending)
        throws(CheckoutProblem)
    {
        for entry in tree.entries {
            let entryPath = path.isEmpty ? entry.displayName : path + "/" + entry.displayName
            if let problem = TreeEntryName.problem(entry.name) {
                throw CheckoutProblem(path: entryPath, reason: "has a name that \(problem)")
            }
            switch entry.mode {
            case .tree:
                try writeDirectory(entry, in: directory, path: entryPath, depth: depth + 1, pending: &pending)
            case .blob:
                pending.files.append(
                    .init(directory: directory, name: entry.name, id: entry.id, mode: 0o444, path: entryPath))
            case .executable:
                pending.files.append(
                    .init(directory: directory, name: entry.name, id: entry.id, mode: 0o555, path: entryPath))
            case .link:
                try writeSymlink(entry, in: directory, path: entryPath)
            case .submodule:
                continue  // A submodule: its commit is in another repository.
            default:
                let octal = String(entry.mode.rawValue, radix: 8)
                throw CheckoutProblem(path: entryPath, reason: "has the unsupported mode \(octal)")
            }
        }
    }

    private func writeDirectory(_ entry: Tree.Entry, in parent: Int32, path: String, depth: Int, pending: inout Pending)
        throws(CheckoutProblem)
    {
        if depth > Self.maximumDepth {
            throw CheckoutProblem(path: path, reason: "is nested more than \(Self.maximumDepth) directories deep")
        }
        let subtree = Tree(try Self.lookup(entry.id, type: .tree, path: path, in: repository))
        let created = mkdirat(parent, Self.cString(entry.name), 0o700)
        guard created == 0 else { throw CheckoutProblem(path: path, .last("create directory", path: path)) }
        let fd = system_openat(parent, Self.cString(entry.name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw CheckoutProblem(path: path, .last("open directory", path: path)) }
        pending.directories.append(.init(fd: fd, path: path))
        try writeEntries(of: subtree, into: fd, at: path, depth: depth, pending: &pending)
        // A flush below may have closed finished directories: find this one again (it is still open).
        if let index = pending.directories.lastIndex(where: { $0.fd == fd }) {
            pending.directories[index].walked = true
        }
        if pending.directories.count - depth > Self.maximumOpenDirectories { try flush(&pending) }
    }

    /// Writes the collected files, then makes every walked directory 0555 and closes it.
    private func flush(_ pending: inout Pending) throws(CheckoutProblem) {
        if !pending.files.isEmpty {
            try BlobFileWriter(jobs: pending.files, repositoryPath: repository.gitDirectory, threads: threads).run(
                using: repository)
            pending.files.removeAll()
        }
        let directories = pending.directories
        pending.directories = directories.filter { !$0.walked }
        var problem: CheckoutProblem?
        for directory in directories where directory.walked {
            if problem == nil && system_fchmod(directory.fd, 0o555) != 0 {
                problem = CheckoutProblem(
                    path: directory.path,
                    .last("change the mode of", path: directory.path.isEmpty ? "." : directory.path))
            }
            system_close(directory.fd)
        }
        if let problem { throw problem }
    }

    private func writeSymlink(_ entry: Tree.Entry, in parent: Int32, path: String) throws(CheckoutProblem) {
        let blob = try Self.lookup(entry.id, type: .blob, path: path, in: repository)
        let target = try blob.withBlobContents { (bytes) throws(CheckoutProblem) in Array(bytes) }
        if target.isEmpty { throw CheckoutProblem(path: path, reason: "is a symlink with an empty target") }
        if target.contains(0) {
            throw CheckoutProblem(path: path, reason: "is a symlink whose target contains a NUL byte")
        }
        let made = symlinkat(Self.cString(target), parent, Self.cString(entry.name))
        guard made == 0 else { throw CheckoutProblem(path: path, .last("create symlink", path: path)) }
    }

    /// The object `id` of `type`; a missing one means the cache is damaged.
    static func lookup(_ id: ObjectID, type: ObjectType, path: String, in repository: Repository)
        throws(CheckoutProblem) -> GitObject
    {
        let found: GitObject?
        do throws(GitFailure) {
            found = try repository.object(id, type: type)
        } catch {
            throw CheckoutProblem(path: path, error)
        }
        guard let found else {
            throw CheckoutProblem(
                path: path, reason: "names object \(id.hex), which is missing from the cache", damaged: true)
        }
        return found
    }

    /// `bytes` as a NUL-terminated C string (names need not be UTF-8).
    static func cString(_ bytes: [UInt8]) -> [CChar] {
        bytes.map { CChar(bitPattern: $0) } + [0]
    }
}
