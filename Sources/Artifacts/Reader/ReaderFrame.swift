import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// One frame from the artifacts reader: an entry's metadata and name (see
/// `archive_reader.h` for the order frames come in).
struct ReaderFrame {
    enum Kind: UInt32 {
        /// A directory; its entries follow, then ``leave``.
        case directory = 1
        case leave = 2
        /// A regular file; ``size`` bytes of data follow (none when ``withheld``), then ``fileEnd``.
        case file = 3
        case fileEnd = 4
        case symlink = 5
        /// Left out: a special file, or an entry the reader could not open.
        case skipped = 6
        /// The walk is over, whole or failed (``step``, ``error``).
        case end = 7
    }

    var kind: Kind
    /// One path component (empty for ``Kind/leave``, ``Kind/fileEnd`` and most ``Kind/end`` frames).
    var name: [UInt8]
    /// A symlink's target, as stored; never followed.
    var target: [UInt8]
    /// `st_mode` as the reader found it: type and permission bits.
    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    var modified: (seconds: Int64, nanoseconds: Int64)
    /// A file's size (its data bytes), or for ``Kind/fileEnd`` the bytes padded with zeros.
    var size: UInt64
    /// An `errno`, `SF_READER_SHRANK`, or 0.
    var error: Int32
    /// For ``Kind/skipped``: an `sf_reader_skip`; for ``Kind/end``: an `sf_reader_step`.
    var reason: UInt32
    /// A file sent without its data (the agent asked, being over a limit).
    var withheld: Bool

    /// Decodes `raw`, the fixed part of a frame; name and target are
    /// filled in by the decoder. `nil` for a type this agent does not know.
    init?(_ raw: sf_reader_frame) {
        guard let kind = Kind(rawValue: raw.type) else { return nil }
        self.kind = kind
        name = []
        target = []
        mode = raw.mode
        uid = raw.uid
        gid = raw.gid
        modified = (raw.mtime_sec, raw.mtime_nsec)
        size = raw.size
        error = raw.error
        reason = raw.reason
        withheld = raw.flags & UInt32(SF_FRAME_NO_DATA) != 0
    }

    /// The file type bits of ``mode``.
    var fileType: UInt32 { mode & UInt32(S_IFMT) }

    /// Whether a skipped entry is a device, socket or fifo (never opened).
    var isSpecialFile: Bool { kind == .skipped && reason == SF_SKIP_SPECIAL.rawValue }

    /// Why a skipped entry was left out, as the end of a sentence.
    var skipReason: String {
        switch reason {
        case SF_SKIP_SPECIAL.rawValue: "it is a device, socket or fifo, which is never opened"
        case SF_SKIP_CHANGED.rawValue: "it was replaced by another file while the artifacts were read"
        case SF_SKIP_UNLISTABLE.rawValue: "cannot list it: \(Self.text(of: error))"
        case SF_SKIP_UNREADABLE_LINK.rawValue: "cannot read the symbolic link: \(Self.text(of: error))"
        default:
            switch error {
            case ELOOP: "it became a symbolic link while the artifacts were read, and links are never followed"
            case ENOENT: "it vanished while the artifacts were read"
            case ENOTDIR: "it stopped being a directory while the artifacts were read"
            case EACCES, EPERM: "the reader (the job's user and sandbox) may not open it: \(Self.text(of: error))"
            default: "cannot open it: \(Self.text(of: error))"
            }
        }
    }

    static func text(of error: Int32) -> String {
        SystemError.reason(error)
    }
}
