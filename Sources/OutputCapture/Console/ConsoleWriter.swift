import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// Copies output to one of the agent's console descriptors without ever
/// blocking the job: it writes only what `poll` says fits (a pipe takes at
/// least `PIPE_BUF` bytes when writable), keeps up to ``capacity`` bytes
/// for later, and beyond that drops output with a note (the logs keep it
/// all). A closed console (`EPIPE`) is given up for good.
///
/// ```swift
/// let console = ConsoleWriter(fd: STDOUT_FILENO)
/// console.write(chunk)     // never waits for a slow reader
/// console.finish(within: .seconds(5))
/// ```
final class ConsoleWriter {
    /// Most bytes kept while the console is not keeping up.
    let capacity: Int
    private(set) var droppedBytes = 0
    private(set) var gone = false
    private let fd: Int32
    /// Pipes, sockets and terminals take `PIPE_BUF` bytes at a time; files
    /// and other devices (`/dev/null`) all at once.
    private let limited: Bool
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var unreportedDrops = 0

    init(fd: Int32, capacity: Int = 4 << 20) {
        self.fd = fd
        self.capacity = capacity
        let kind = (try? FileSystem.status(descriptor: fd, path: "the console"))?.kind ?? .fifo
        limited = kind == .fifo || kind == .socket || system_isatty(fd) == 1
    }

    /// Queues `chunk` and writes what the console takes now.
    func write(_ chunk: UnsafeRawBufferPointer) {
        guard !gone, !chunk.isEmpty else { return }
        if !limited && pendingStart == pending.count && unreportedDrops == 0 {
            // A file or device takes it all at once: no copy to keep.
            var rest = chunk
            while let base = rest.baseAddress, !rest.isEmpty {
                let written = system_write(fd, base, rest.count)
                if written > 0 {
                    rest = UnsafeRawBufferPointer(rebasing: rest[written...])
                    continue
                }
                if written < 0 && currentErrno() == EINTR { continue }
                if written < 0 && currentErrno() != EAGAIN {
                    gone = true
                    return
                }
                break
            }
            if rest.isEmpty { return }
            pending.append(contentsOf: rest)
            return
        }
        if pending.count - pendingStart + chunk.count > capacity {
            droppedBytes += chunk.count
            unreportedDrops += chunk.count
        } else {
            if unreportedDrops > 0 && pending.count == pendingStart { noteDrops() }
            pending.append(contentsOf: chunk)
        }
        drain(waitMilliseconds: 0)
    }

    /// Writes what is left, waiting at most `limit` for the console.
    func finish(within limit: Duration = .seconds(5)) {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        if unreportedDrops > 0 { noteDrops() }
        while !gone && pendingStart < pending.count && clock.now < deadline {
            drain(waitMilliseconds: 50)
        }
    }

    private func noteDrops() {
        let note = "\n[sf-agent: the console fell behind; \(unreportedDrops) bytes are only in the logs]\n"
        pending.append(contentsOf: Array(note.utf8))
        unreportedDrops = 0
    }

    private func drain(waitMilliseconds: Int32) {
        while !gone && pendingStart < pending.count {
            if limited {
                var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = system_poll(&descriptor, 1, waitMilliseconds)
                if ready < 0 && currentErrno() == EINTR { continue }
                guard ready > 0 else { break }
                if descriptor.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 {
                    gone = true
                    break
                }
            }
            let count = limited ? min(Int(PIPE_BUF), pending.count - pendingStart) : pending.count - pendingStart
            let written = pending.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return system_write(fd, base + pendingStart, count)
            }
            if written > 0 {
                pendingStart += written
            } else if written < 0 && currentErrno() != EINTR && currentErrno() != EAGAIN {
                gone = true
            }
        }
        if pendingStart == pending.count {
            pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
            pendingStart = 0
        } else if pendingStart > 1 << 20 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
    }
}
