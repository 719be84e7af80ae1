import AgentSystem
import ConfigKeys

#if canImport(Glibc)
import Glibc
#endif

/// One log file with an optional size cap: past the cap it keeps the first
/// half and the last half of what was written, with a marker line saying
/// how much was dropped in between.
///
/// The head goes straight to the file; the tail is kept in a ring in a
/// hidden file beside it (disk, not memory) and appended when the log is
/// closed. A write failure (a full disk) stops the log and is reported.
///
/// ```swift
/// let log = try CappedLog(path: "/output/job-1/stdout.log", maximumBytes: 1 << 20)
/// log.write(chunk)
/// let summary = log.close()   // LogSummary(bytes: …, droppedBytes: …, error: nil)
/// ```
final class CappedLog {
    let path: String
    let maximumBytes: Int?
    private(set) var written = 0
    private(set) var error: SystemError?
    private var fd: Int32
    private var ringFD: Int32 = -1
    private var summary: LogSummary?

    private var headLimit: Int { (maximumBytes ?? Int.max) / 2 }
    private var tailLimit: Int { (maximumBytes ?? Int.max) - headLimit }
    private var ringPath: String { Path.join(Path.parent(of: path), ".\(Path.lastComponent(of: path)).tail") }

    /// Creates (or truncates) the file, mode 0644: every file of a job's
    /// output folder is readable by whoever may read the folder.
    init(path: String, maximumBytes: Int?) throws(SystemError) {
        self.path = path
        self.maximumBytes = maximumBytes.map { max($0, 2) }
        fd = system_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .last("create", path: path) }
        guard system_fchmod(fd, 0o644) == 0 else {
            let failure = SystemError.last("change the mode of", path: path)
            system_close(fd)
            throw failure
        }
    }

    deinit { _ = close() }

    /// The log's descriptor, for tests that swap in a failing one.
    var descriptorForTesting: Int32 { fd }

    /// Appends `chunk` (the head, or the tail ring once the head is full).
    func write(_ chunk: UnsafeRawBufferPointer) {
        guard fd >= 0, !chunk.isEmpty else { return }
        var rest = chunk
        do throws(SystemError) {
            if written < headLimit {
                let count = min(headLimit - written, rest.count)
                try FileSystem.writeAll(fd, UnsafeRawBufferPointer(rebasing: rest[0..<count]), path: path)
                written += count
                rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            }
            while !rest.isEmpty {
                if ringFD < 0 {
                    ringFD = system_open(ringPath, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
                    guard ringFD >= 0 else { throw SystemError.last("create", path: ringPath) }
                }
                let position = (written - headLimit) % tailLimit
                let count = min(tailLimit - position, rest.count)
                try Self.writeAll(
                    ringFD, UnsafeRawBufferPointer(rebasing: rest[0..<count]), at: position, path: ringPath)
                written += count
                rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            }
        } catch {
            fail(error)
        }
    }

    /// Appends the tail (after the marker when bytes were dropped), closes
    /// the file and removes the ring. Idempotent.
    func close() -> LogSummary {
        if let summary { return summary }
        var dropped = 0
        if fd >= 0, ringFD >= 0 {
            let tailBytes = written - headLimit
            dropped = max(0, tailBytes - tailLimit)
            do throws(SystemError) {
                if dropped > 0 {
                    let marker =
                        "\n[sf-agent: \(dropped) bytes dropped here: the log is capped at \(ConfigKey.outputMaxLogBytes) = \(maximumBytes ?? 0)]\n"
                    try FileSystem.writeAll(fd, Array(marker.utf8), path: path)
                    let start = tailBytes % tailLimit
                    try copyRing(from: start, count: tailLimit - start)
                    try copyRing(from: 0, count: start)
                } else {
                    try copyRing(from: 0, count: tailBytes)
                }
            } catch {
                fail(error)
            }
        }
        if ringFD >= 0 {
            system_close(ringFD)
            system_unlink(ringPath)
            ringFD = -1
        }
        if fd >= 0 {
            system_close(fd)
            fd = -1
        }
        let result = LogSummary(file: Path.lastComponent(of: path), bytes: written, droppedBytes: dropped, error: error)
        summary = result
        return result
    }

    private func copyRing(from offset: Int, count: Int) throws(SystemError) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var done = 0
        while done < count {
            let want = min(buffer.count, count - done)
            let got = buffer.withUnsafeMutableBytes { system_pread(ringFD, $0.baseAddress, want, off_t(offset + done)) }
            if got < 0 && currentErrno() == EINTR { continue }
            guard got > 0 else { throw SystemError.last("read", path: ringPath) }
            try FileSystem.writeAll(fd, Array(buffer[0..<got]), path: path)
            done += got
        }
    }

    private func fail(_ failure: SystemError) {
        if error == nil { error = failure }
        if fd >= 0 { system_close(fd) }
        fd = -1
    }

    private static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int, path: String)
        throws(SystemError)
    {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let count = system_pwrite(fd, base + done, buffer.count - done, off_t(offset + done))
            if count < 0 {
                if currentErrno() == EINTR { continue }
                throw .last("write", path: path)
            }
            done += count
        }
    }
}
