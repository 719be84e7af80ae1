/// What is normalised in an archive so that the same files, read at another
/// time or by another user, give the same bytes (see
/// `docs/reproducible-runs.md`).
///
/// - Modification times are clamped to ``sourceDateEpoch`` (a later time
///   becomes it, an earlier one is kept) and lose their sub-second part.
/// - Every entry is owned by ``owner`` (0:0) with no user or group name.
/// - No atime, ctime, extended attribute, ACL or file flag is stored (never,
///   normalised or not), so no pax header depends on the run.
///
/// The writer's own choices hold whatever this says: entries are sorted by
/// name within each directory, gzip stores `mtime = 0` and no file name, and
/// zstd always compresses through worker threads, whose frames do not depend
/// on how many there are.
///
/// ```swift
/// let rule = ArchiveNormalization(sourceDateEpoch: 1_700_000_000)
/// rule.modificationTime(seconds: 1_800_000_000)   // 1_700_000_000
/// ```
package struct ArchiveNormalization: Sendable, Equatable {
    /// The latest modification time stored, seconds since the epoch: the
    /// commit's committer time for a job (`SOURCE_DATE_EPOCH`).
    package var sourceDateEpoch: Int64

    /// The numeric owner and group of every entry.
    package static let owner = (uid: Int64(0), gid: Int64(0))

    package init(sourceDateEpoch: Int64) {
        self.sourceDateEpoch = sourceDateEpoch
    }

    /// The stored modification time of an entry modified at `seconds`.
    package func modificationTime(seconds: Int64) -> Int64 {
        min(seconds, sourceDateEpoch)
    }

    /// Reads `SOURCE_DATE_EPOCH` as the reproducible-builds convention
    /// writes it: decimal seconds. Nil when unset; a malformed value is an error.
    package static func fromEnvironment(_ value: String?) -> Result<ArchiveNormalization?, ArtifactError> {
        guard let value else { return .success(nil) }
        guard !value.isEmpty, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let seconds = Int64(value) else {
            return .failure(
                ArtifactError(
                    code: .invalidOptions, path: "SOURCE_DATE_EPOCH",
                    reason:
                        "`\(value)` is not a number of seconds since 1970; set it to a whole number such as 1700000000, or unset it"
                ))
        }
        return .success(ArchiveNormalization(sourceDateEpoch: seconds))
    }
}
