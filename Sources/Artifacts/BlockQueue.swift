#if canImport(Glibc)
import Glibc
#endif

/// A bounded first-in first-out queue of byte blocks between one producer
/// and one consumer thread: `push` waits while it is full, `pop` while it
/// is empty; `nil` from `pop` means the producer closed it.
///
/// Blocks the consumer is done with come back through ``recycle(_:)`` and
/// are filled again by ``push(copying:)``, so a long stream of megabyte
/// blocks allocates (and faults in) a handful of buffers, not one per block.
///
/// ```swift
/// let queue = BlockQueue(capacity: 4)
/// queue.push(copying: bytes)     // producer
/// queue.close()
/// while let block = queue.pop() { …; queue.recycle(block) }   // consumer
/// ```
final class BlockQueue: @unchecked Sendable {
    private let capacity: Int
    private var blocks: [[UInt8]] = []
    private var spares: [[UInt8]] = []
    private var closed = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(capacity: Int) {
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    /// Appends a copy of `bytes` (in a recycled buffer when there is one), waiting for room.
    func push(copying bytes: UnsafeRawBufferPointer) {
        pthread_mutex_lock(mutex)
        var block = spares.popLast() ?? []
        pthread_mutex_unlock(mutex)
        block.removeAll(keepingCapacity: true)
        block.append(contentsOf: bytes)
        push(block)
    }

    /// Hands back a block taken with ``pop()`` for reuse.
    func recycle(_ block: [UInt8]) {
        pthread_mutex_lock(mutex)
        // Two spares keep the producer supplied; more would only hold memory.
        if spares.count < 2 { spares.append(block) }
        pthread_mutex_unlock(mutex)
    }

    /// Appends `block`, waiting for room.
    func push(_ block: [UInt8]) {
        pthread_mutex_lock(mutex)
        while blocks.count >= capacity && !closed { pthread_cond_wait(changed, mutex) }
        blocks.append(block)
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// The oldest block, waiting for one; `nil` once closed and empty.
    func pop() -> [UInt8]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while blocks.isEmpty && !closed { pthread_cond_wait(changed, mutex) }
        guard !blocks.isEmpty else { return nil }
        let block = blocks.removeFirst()
        pthread_cond_broadcast(changed)
        return block
    }

    /// No more blocks will come.
    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}
