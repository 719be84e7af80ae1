#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own that runs one closure, for work that must overlap
/// the caller's (a log written while the next chunk is read). Whoever
/// starts it joins it; a thread that was never joined is joined on deinit,
/// so none outlives its owner.
///
/// ```swift
/// let writer = try WorkerThread { drainQueue() }
/// …                 // the caller's own work meanwhile
/// writer.join()     // drainQueue() has returned
/// ```
package final class WorkerThread {
    private var thread: pthread_t?

    /// Starts a thread running `body`.
    package init(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
        var thread = pthread_t()
        // Retained for the thread, which releases it when `body` returns.
        let context = Unmanaged.passRetained(WorkerBody(body)).toOpaque()
        let error = pthread_create(&thread, nil, workerThreadStart, context)
        guard error == 0 else {
            Unmanaged<WorkerBody>.fromOpaque(context).release()
            throw SystemError(operation: "start a thread", errno: error)
        }
        self.thread = thread
    }

    deinit { join() }

    /// Waits until the closure has returned. Idempotent.
    package func join() {
        guard let thread else { return }
        pthread_join(thread, nil)
        self.thread = nil
    }
}

/// The closure a ``WorkerThread`` runs.
private final class WorkerBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// The thread's entry point; its argument is a retained ``WorkerBody``.
private func workerThreadStart(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    Unmanaged<WorkerBody>.fromOpaque(context).takeRetainedValue().run()
    return nil
}
