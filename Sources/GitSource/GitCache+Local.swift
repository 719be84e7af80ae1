import AgentSystem
import CGit2

/// A repository on this machine (a plain path or `file://`), read in place.
struct LocalSource {
    let path: String

    /// nil for network URLs (`scheme://…` other than `file://`, or scp-like `host:path`).
    init?(url: String) {
        if url.hasPrefix("file://") {
            path = String(url.dropFirst("file://".count))
            return
        }
        if url.contains("://") || SSHAddress(url) != nil { return nil }
        path = url
    }
}

extension GitCache {
    /// Resolves `ref` in a local repository: its object directory becomes an
    /// alternate of the cache repository (no objects are copied) and the
    /// ref is copied into the cache, so checkouts read from one place.
    func resolveLocal(_ ref: GitRef, source: LocalSource, url: String, cache: Repository) throws(SourceError) -> ResolvedRef {
        let origin: Repository
        do throws(GitFailure) { origin = try Repository.open(at: source.path) } catch {
            throw SourceError(.fetchFailed, "Cannot open the repository \(source.path): \(error.message).")
        }
        let objects = origin.gitDirectory + "objects"
        let alternates = Path.join(repositoryPath(for: url), "objects/info/alternates")
        let line = Array((objects + "\n").utf8)
        if (try? FileSystem.readFile(alternates)) != line {
            do throws(SystemError) {
                try FileSystem.makeDirectories(Path.parent(of: alternates))
                try FileSystem.writeAtomically(line, to: alternates)
            } catch {
                throw SourceError(.cacheFailed, "Cannot link the cache repository to \(source.path): \(error).")
            }
        }
        guard let repository = try openRepository(for: url, create: false) else {
            throw SourceError(.cacheFailed, "The cache repository \(repositoryPath(for: url)) disappeared.")
        }
        switch ref {
        case .commit(let id):
            guard let oid = ObjectID(hex: id) else {
                throw SourceError(.invalidRef, "The commit id \"\(id)\" is not 40 hexadecimal digits.")
            }
            guard try cachedCommit(oid, url: url, in: repository) else {
                throw SourceError(.refNotFound, "The commit \(oid.hex) does not exist in \(url).")
            }
            return ResolvedRef(commit: oid.hex, fetched: true)
        case .fullName, .shortName:
            for name in ref.candidateNames {
                let target: ObjectID?
                do throws(GitFailure) { target = try origin.referenceTarget(name) } catch {
                    throw SourceError(.fetchFailed, "Cannot read \(name) in \(source.path): \(error.message).")
                }
                guard let target else { continue }
                do throws(GitFailure) { try repository.setReference(name, to: target) } catch {
                    throw cacheError(error, url: url, doing: "record \(name) in")
                }
                return try peelToCommit(target, name: name, url: url, in: repository)
            }
            throw SourceError(.refNotFound, "The ref \(Self.describe(ref)) does not exist in \(url).")
        }
    }
}
