import AgentSystem
import CGit2

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
/// contents are complete (bottom-up); symlinks stay symlinks; submodule
/// entries (gitlinks) are skipped.
struct CheckoutWriter {
    /// Trees nested deeper than this are refused rather than risking the stack.
    static let maximumDepth = 512

    let repository: Repository

    /// Creates `directory` (which must not exist yet) and writes `tree` into it.
    func write(_ tree: Tree, to directory: String) throws(CheckoutProblem) {
        guard mkdir(directory, 0o700) == 0 else {
            throw CheckoutProblem(path: "", .last("create directory", path: directory))
        }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw CheckoutProblem(path: "", .last("open directory", path: directory)) }
        defer { close(fd) }
        try writeEntries(of: tree, into: fd, at: "", depth: 0)
        guard fchmod(fd, 0o555) == 0 else {
            throw CheckoutProblem(path: "", .last("change the mode of", path: directory))
        }
    }

    private func writeEntries(of tree: Tree, into directory: Int32, at path: String, depth: Int) throws(CheckoutProblem) {
        for entry in tree.entries {
            let entryPath = path.isEmpty ? entry.displayName : path + "/" + entry.displayName
            if let problem = TreeEntryName.problem(entry.name) {
                throw CheckoutProblem(path: entryPath, reason: "has a name that \(problem)")
            }
            switch entry.mode {
            case GIT_FILEMODE_TREE:
                try writeDirectory(entry, in: directory, path: entryPath, depth: depth + 1)
            case GIT_FILEMODE_BLOB:
                try writeFile(entry, in: directory, path: entryPath, mode: 0o444)
            case GIT_FILEMODE_BLOB_EXECUTABLE:
                try writeFile(entry, in: directory, path: entryPath, mode: 0o555)
            case GIT_FILEMODE_LINK:
                try writeSymlink(entry, in: directory, path: entryPath)
            case GIT_FILEMODE_COMMIT:
                continue  // A submodule: its commit is in another repository.
            default:
                let octal = String(entry.mode.rawValue, radix: 8)
                throw CheckoutProblem(path: entryPath, reason: "has the unsupported mode \(octal)")
            }
        }
    }

    private func writeDirectory(_ entry: Tree.Entry, in parent: Int32, path: String, depth: Int) throws(CheckoutProblem) {
        if depth > Self.maximumDepth {
            throw CheckoutProblem(path: path, reason: "is nested more than \(Self.maximumDepth) directories deep")
        }
        let subtree = Tree(try lookup(entry.id, type: GIT_OBJECT_TREE, path: path))
        let created = mkdirat(parent, cString(entry.name), 0o700)
        guard created == 0 else { throw CheckoutProblem(path: path, .last("create directory", path: path)) }
        let fd = openat(parent, cString(entry.name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw CheckoutProblem(path: path, .last("open directory", path: path)) }
        defer { close(fd) }
        try writeEntries(of: subtree, into: fd, at: path, depth: depth)
        guard fchmod(fd, 0o555) == 0 else { throw CheckoutProblem(path: path, .last("change the mode of", path: path)) }
    }

    private func writeFile(_ entry: Tree.Entry, in parent: Int32, path: String, mode: mode_t) throws(CheckoutProblem) {
        let blob = try lookup(entry.id, type: GIT_OBJECT_BLOB, path: path)
        let fd = openat(parent, cString(entry.name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CheckoutProblem(path: path, .last("create", path: path)) }
        do throws(CheckoutProblem) {
            try blob.withBlobContents { (bytes) throws(CheckoutProblem) in
                do throws(SystemError) {
                    try FileSystem.writeAll(fd, bytes, path: path)
                } catch {
                    throw CheckoutProblem(path: path, error)
                }
            }
            guard fchmod(fd, mode) == 0 else { throw CheckoutProblem(path: path, .last("change the mode of", path: path)) }
        } catch {
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw CheckoutProblem(path: path, .last("close", path: path)) }
    }

    private func writeSymlink(_ entry: Tree.Entry, in parent: Int32, path: String) throws(CheckoutProblem) {
        let blob = try lookup(entry.id, type: GIT_OBJECT_BLOB, path: path)
        let target = try blob.withBlobContents { (bytes) throws(CheckoutProblem) in Array(bytes) }
        if target.isEmpty { throw CheckoutProblem(path: path, reason: "is a symlink with an empty target") }
        if target.contains(0) { throw CheckoutProblem(path: path, reason: "is a symlink whose target contains a NUL byte") }
        let made = symlinkat(cString(target), parent, cString(entry.name))
        guard made == 0 else { throw CheckoutProblem(path: path, .last("create symlink", path: path)) }
    }

    private func lookup(_ id: ObjectID, type: git_object_t, path: String) throws(CheckoutProblem) -> GitObject {
        let found: GitObject?
        do throws(GitFailure) {
            found = try repository.object(id, type: type)
        } catch {
            throw CheckoutProblem(path: path, error)
        }
        guard let found else { throw CheckoutProblem(path: path, reason: "names object \(id.hex), which is missing from the cache", damaged: true) }
        return found
    }

    /// `bytes` as a NUL-terminated C string (names need not be UTF-8).
    private func cString(_ bytes: [UInt8]) -> [CChar] {
        bytes.map { CChar(bitPattern: $0) } + [0]
    }
}
