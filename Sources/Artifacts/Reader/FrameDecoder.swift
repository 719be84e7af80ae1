import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads the artifacts reader's frames from its pipe through one 1 MiB
/// buffer; file data is handed out in place, block by block, never copied
/// into a second buffer. A large file's data (the reader sends it alone,
/// spliced) is read straight into the caller's buffer when it offers one
/// (``data(_:into:_:)``), past this buffer.
///
/// ```swift
/// let decoder = FrameDecoder(fileDescriptor: pipe)
/// let frame = try decoder.next()
/// try decoder.data(Int(frame.size)) { block in … }
/// ```
final class FrameDecoder {
    /// Why the stream ended early.
    enum Failure: Error {
        /// The pipe closed before the end frame: the reader died.
        case endOfStream
        /// `read` failed with this errno.
        case readFailed(Int32)
        /// Bytes that are not a frame: a bug, never the job's doing.
        case malformed
    }

    static let capacity = 1 << 20
    private let fileDescriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0

    /// Reads from `fileDescriptor`, which the caller owns.
    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// The fixed part's size on the wire.
    static let headerSize = MemoryLayout<sf_reader_frame>.size
    /// Longer names or targets are not the reader's (NAME_MAX, PATH_MAX).
    static let longestString = 4096

    /// The next frame, with its name and target.
    func next() throws(Failure) -> ReaderFrame {
        try fill(Self.headerSize)
        var raw = sf_reader_frame()
        withUnsafeMutableBytes(of: &raw) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + Self.headerSize)]))
        }
        let nameLength = Int(raw.name_length)
        let targetLength = Int(raw.target_length)
        guard var frame = ReaderFrame(raw), nameLength <= Self.longestString, targetLength <= Self.longestString else {
            throw .malformed
        }
        let total = Self.headerSize + nameLength + targetLength
        try fill(total)
        var at = start + Self.headerSize
        frame.name = Array(buffer[at..<(at + nameLength)])
        at += nameLength
        frame.target = Array(buffer[at..<(at + targetLength)])
        start += total
        return frame
    }

    /// Data left to read past which it is read into the caller's window
    /// (``data(_:into:_:)``) rather than this buffer: the reader batches
    /// smaller files, with their frames, into one write.
    static let directReadMinimum = 64 * 1024

    /// Hands the next `count` bytes to `body` in the blocks they arrive in.
    ///
    /// With `window`: once this buffer is drained and at least
    /// ``directReadMinimum`` bytes are left, the data is read from the pipe
    /// straight into the memory `window` returns (at most as much as is left
    /// of the file), and `body` gets that memory.
    func data<Failure: Error>(
        _ count: Int, into window: () -> UnsafeMutableRawBufferPointer? = { nil },
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(StreamError<Failure>) {
        var remaining = count
        while remaining > 0 {
            if start == end, remaining >= Self.directReadMinimum, let target = window(), !target.isEmpty {
                let got: Int
                do throws(FrameDecoder.Failure) {
                    got = try read(into: UnsafeMutableRawBufferPointer(rebasing: target.prefix(remaining)))
                } catch {
                    throw .stream(error)
                }
                do throws(Failure) {
                    try body(UnsafeRawBufferPointer(rebasing: target[..<got]))
                } catch {
                    throw .body(error)
                }
                remaining -= got
                continue
            }
            if start == end {
                do throws(FrameDecoder.Failure) { try refill() } catch { throw .stream(error) }
            }
            let take = min(remaining, end - start)
            do throws(Failure) {
                try body(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + take)]))
            } catch {
                throw .body(error)
            }
            start += take
            remaining -= take
        }
    }

    /// A failure of ``data(_:_:)``: the stream's or the body's.
    enum StreamError<Body: Error>: Error {
        case stream(FrameDecoder.Failure)
        case body(Body)
    }

    /// Makes `count` contiguous bytes available from `start`.
    private func fill(_ count: Int) throws(Failure) {
        if end - start >= count { return }
        if start > 0 {
            // Move the partial frame to the front; it is at most a header, a name and a target.
            let pending = end - start
            if pending > 0, let base = buffer.baseAddress {
                memmove(base, base + start, pending)
            }
            start = 0
            end = pending
        }
        while end - start < count {
            try read(into: end)
        }
    }

    /// Reads whatever is there into an empty buffer.
    private func refill() throws(Failure) {
        start = 0
        end = 0
        try read(into: 0)
    }

    private func read(into offset: Int) throws(Failure) {
        end += try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]))
    }

    /// Reads what the pipe holds into `target` (at least one byte): the count.
    private func read(into target: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
        while true {
            let count = system_read(fileDescriptor, target.baseAddress, target.count)
            if count > 0 { return count }
            if count == 0 { throw .endOfStream }
            let error = currentErrno()
            if error != EINTR { throw .readFailed(error) }
        }
    }
}
