#if canImport(Glibc)
import Glibc
#endif

/// A byte stream cut into fixed-size blocks and handed from one producer
/// thread to one consumer thread, through a fixed set of buffers allocated
/// once.
///
/// The producer ``append(_:)``s bytes of any length; they are copied into
/// the block being filled, and a full block goes to the consumer, waiting
/// for a free buffer when all are in use. A producer that can write its
/// bytes in place asks for the ``window()`` (the free end of the block
/// being filled) and appends the bytes it wrote there: they are not copied. The consumer ``pop()``s full
/// blocks in order and hands each back with ``recycle(_:)`` when done;
/// `nil` from `pop` means the producer ``close()``d the stream (the last,
/// partial block was delivered before). The buffers are the same
/// `bufferCount` allocations from start to end: a long stream allocates,
/// and faults in, nothing more.
///
/// ```swift
/// let queue = BlockQueue(blockSize: 1 << 20, bufferCount: 6)
/// queue.append(bytes)          // producer, any sizes
/// queue.close()
/// while let block = queue.pop() { use(block.bytes); queue.recycle(block) }   // consumer
/// ```
final class BlockQueue: @unchecked Sendable {
    /// A full block: its bytes, valid until it is recycled.
    struct Block {
        fileprivate let index: Int
        let bytes: UnsafeRawBufferPointer
    }

    let blockSize: Int
    private let buffers: [UnsafeMutableRawBufferPointer]
    /// Buffers neither filling nor full nor with the consumer.
    private var free: [Int]
    /// Full blocks in order: buffer index and byte count.
    private var full: [(index: Int, count: Int)] = []
    /// The buffer the producer fills (producer thread only), and how far.
    private var filling: Int?
    private var filled = 0
    private var closed = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// `bufferCount` buffers (at least 2) of `blockSize` bytes.
    init(blockSize: Int, bufferCount: Int) {
        self.blockSize = max(1, blockSize)
        let count = max(2, bufferCount)
        buffers = (0..<count).map { _ in
            UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, blockSize), alignment: 64)
        }
        free = Array((0..<count).reversed())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    /// The free end of the block being filled (a free buffer taken if none
    /// is), to write bytes into and then ``append(_:)`` them in place.
    /// Valid until the next `append` or `close`.
    func window() -> UnsafeMutableRawBufferPointer {
        let index = filling ?? takeFreeBuffer()
        filling = index
        return UnsafeMutableRawBufferPointer(rebasing: buffers[index][filled...])
    }

    /// Adds `bytes` to the stream: in place when they start where the
    /// ``window()`` does, copied otherwise; hands on every block it fills.
    /// `false` (nothing added) for bytes in one of the queue's buffers that
    /// do not start where the window does: something was appended since
    /// they were written there, over them or past them.
    @discardableResult
    func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let start = bytes.baseAddress, let buffer = buffers.firstIndex(where: { $0.contains(start) }) {
            guard buffer == filling, let base = buffers[buffer].baseAddress, UnsafeRawPointer(base + filled) == start,
                bytes.count <= blockSize - filled
            else { return false }
            filled += bytes.count
            if filled == blockSize { handOn() }
            return true
        }
        var offset = 0
        while offset < bytes.count {
            let index = filling ?? takeFreeBuffer()
            filling = index
            let take = min(bytes.count - offset, blockSize - filled)
            if let source = bytes.baseAddress, let target = buffers[index].baseAddress {
                (target + filled).copyMemory(from: source + offset, byteCount: take)
            }
            filled += take
            offset += take
            if filled == blockSize { handOn() }
        }
        return true
    }

    /// The end of the stream: the partial block (if any) goes to the consumer, then `nil`.
    func close() {
        if filling != nil && filled > 0 { handOn() }
        pthread_mutex_lock(mutex)
        if let index = filling { free.append(index) }
        filling = nil
        closed = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// The oldest full block, waiting for one; `nil` once closed and drained.
    func pop() -> Block? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while full.isEmpty && !closed { pthread_cond_wait(changed, mutex) }
        guard !full.isEmpty else { return nil }
        let (index, count) = full.removeFirst()
        return Block(
            index: index, bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffers[index])[0..<count]))
    }

    /// Hands back a block taken with ``pop()``: its buffer is filled again.
    func recycle(_ block: Block) {
        pthread_mutex_lock(mutex)
        free.append(block.index)
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// Queues the block being filled.
    private func handOn() {
        guard let index = filling else { return }
        pthread_mutex_lock(mutex)
        full.append((index, filled))
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        filling = nil
        filled = 0
    }

    /// A free buffer, waiting for the consumer to recycle one.
    private func takeFreeBuffer() -> Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while free.isEmpty { pthread_cond_wait(changed, mutex) }
        return free.removeLast()
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Whether `pointer` points into this buffer.
    fileprivate func contains(_ pointer: UnsafeRawPointer) -> Bool {
        guard let base = baseAddress else { return false }
        return UnsafeRawPointer(base) <= pointer && pointer < UnsafeRawPointer(base + count)
    }
}
