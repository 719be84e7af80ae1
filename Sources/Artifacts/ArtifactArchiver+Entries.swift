import AgentSystem
import CAgentSupport
import Secrets

extension ArtifactArchiver {
    /// What a walk wrote.
    struct WalkResult {
        var entries = 0
        /// Devices, sockets and fifos left out (masked paths).
        var skipped: [String] = []
        /// Entries the reader could not read, with why.
        var unread: [UnreadArtifact] = []
        /// Total size of the regular files.
        var fileBytes = 0
        /// The first limit exceeded; from then on nothing more is written, only counted.
        var excess: LimitExcess?
        var secretPaths: [String] = []
        var fileDigests: [FileDigest] = []
    }

    /// What else a walk does besides writing the archive.
    struct WalkOptions {
        var limits = ArtifactLimits()
        var secretScan: SecretScan?
        var manifest: ManifestWriter?
        /// Masks names and symlink targets wherever they are written.
        var masker = SecretMasker.none
        /// Owner and times normalised for reproducible bytes, when set.
        var normalization: ArchiveNormalization?
    }

    /// Writes every directory, regular file and symlink the reader sends,
    /// in the order it sends them, until its end frame.
    static func writeEntries(
        from reader: ArtifactReader, to writer: ArchiveWriter, archivePath: String, options: WalkOptions = WalkOptions()
    ) throws(ArtifactError) -> WalkResult {
        let entry = try ArchiveEntry(path: archivePath)
        let owners = OwnerNames()
        var paths = EntryPaths(masker: options.masker)
        var result = WalkResult()
        while true {
            let frame = try reader.next()
            switch frame.kind {
            case .leave:
                paths.leave()
                continue
            case .end:
                try reader.finish(frame, directory: paths.current)
                return result
            case .skipped:
                let name = paths.name(of: frame.name)
                if frame.isSpecialFile {
                    result.skipped.append(name.text)
                } else {
                    result.unread.append(UnreadArtifact(path: name.text, reason: frame.skipReason))
                }
                continue
            case .fileEnd:
                throw ArtifactError(
                    code: .readerFailed, path: reader.root, reason: "the reader ended a file it never began")
            case .directory, .file, .symlink:
                break
            }
            let name = paths.name(of: frame.name)
            result.entries += 1
            let listedSize = frame.kind == .file ? Int(clamping: frame.size) : 0
            if result.excess == nil {
                result.excess = options.limits.excess(bytes: result.fileBytes + listedSize, entries: result.entries)
                if result.excess != nil { reader.withholdData() }
            }
            if result.excess != nil {
                // Over a limit: keep walking to say by how much, write nothing more.
                result.fileBytes += listedSize
                result.excess = options.limits.excess(bytes: result.fileBytes, entries: result.entries)
                if frame.kind == .directory { paths.enter(name) }
                if frame.kind == .file { try discardFile(frame, from: reader) }
                continue
            }
            let mode = frame.mode & 0o7777
            let scanning = options.secretScan != nil
            switch frame.kind {
            case .directory:
                entry.fill(
                    name: name.masked, frame, symlinkTarget: nil, owners: owners, normalization: options.normalization)
                try writer.writeHeader(entry)
                try options.manifest?.add(
                    path: name.masked, type: "directory", size: 0, mode: mode, sha256: nil, target: nil)
                if scanning && name.holdsSecret { result.secretPaths.append(name.text) }
                paths.enter(name)
            case .symlink:
                let target = paths.mask(target: frame.target)
                entry.fill(
                    name: name.masked, frame, symlinkTarget: target.masked, owners: owners,
                    normalization: options.normalization)
                try writer.writeHeader(entry)
                try options.manifest?.add(
                    path: name.masked, type: "symlink", size: 0, mode: mode, sha256: nil, target: target.masked)
                if scanning && (name.holdsSecret || target.holdsSecret) { result.secretPaths.append(name.text) }
            default:
                entry.fill(
                    name: name.masked, frame, symlinkTarget: nil, owners: owners, normalization: options.normalization)
                var scanner = options.secretScan?.masker.makeScanner()
                let sha256 = try streamFile(frame, named: name, from: reader, as: entry, to: writer, scanner: &scanner)
                result.fileBytes += listedSize
                result.fileDigests.append(FileDigest(path: name.text, sha256: sha256))
                if scanning && (name.holdsSecret || scanner?.found == true) { result.secretPaths.append(name.text) }
                try options.manifest?.add(
                    path: name.masked, type: "file", size: listedSize, mode: mode, sha256: sha256, target: nil)
            }
        }
    }

    /// How much of a text file's start decides whether it is searched: no
    /// NUL byte in it (as git decides).
    static let textProbeSize = 64 * 1024

    /// Writes a regular file's header and the data the reader sends for it.
    /// Returns the data's SHA-256; `scanner`, if any, reads the contents of
    /// a text file (no NUL in its first 64 KiB).
    private static func streamFile(
        _ frame: ReaderFrame, named name: ArtifactName, from reader: ArtifactReader, as entry: ArchiveEntry,
        to writer: ArchiveWriter, scanner: inout SecretScanner?
    ) throws(ArtifactError) -> String {
        entry.setSize(Int64(clamping: frame.size))
        try writer.writeHeader(entry)
        var hash = SHA256Stream()
        var probed = 0
        // A large file's data is read straight into the compressor's block (zstd) and hashed there.
        try reader.data(Int(clamping: frame.size), into: writer.dataWindow) { (block) throws(ArtifactError) in
            hash.update(block)
            try writer.writeData(block)
            if probed < textProbeSize && scanner != nil {
                let probe = UnsafeRawBufferPointer(rebasing: block.prefix(textProbeSize - probed))
                if probe.contains(0) { scanner = nil }  // binary: not searched
                probed += probe.count
            }
            scanner?.scan(block)
        }
        try checkEnd(of: name, from: reader)
        return hash.hexDigest()
    }

    /// Reads past a file's data (if it came) and its end frame.
    private static func discardFile(_ frame: ReaderFrame, from reader: ArtifactReader) throws(ArtifactError) {
        if !frame.withheld {
            try reader.data(Int(clamping: frame.size)) { (_) throws(ArtifactError) in }
        }
        let end = try reader.next()
        guard end.kind == .fileEnd else {
            throw ArtifactError(code: .readerFailed, path: reader.root, reason: "the reader did not end a file")
        }
    }

    /// The end frame of a file: whether it was read whole.
    private static func checkEnd(of name: ArtifactName, from reader: ArtifactReader) throws(ArtifactError) {
        let end = try reader.next()
        guard end.kind == .fileEnd else {
            throw ArtifactError(code: .readerFailed, path: reader.root, reason: "the reader did not end \(name.text)")
        }
        switch end.error {
        case 0: return
        case SF_READER_SHRANK:
            throw ArtifactError(
                code: .artifactChanged, path: reader.root + "/" + name.text,
                reason: "it shrank by \(end.size) bytes while being read")
        default:
            throw ArtifactError(
                code: .unreadableArtifact, path: reader.root + "/" + name.text,
                reason: "cannot read it: \(ReaderFrame.text(of: end.error))",
                errno: end.error)
        }
    }
}
