import Synchronization
import Testing

@testable import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

@Suite struct WorkerThreadTests {
    /// What the thread saw, for the test thread to read after the join.
    final class Seen: Sendable {
        let done = Atomic<Bool>(false)
        let elsewhere = Atomic<Bool>(false)
        var isDone: Bool { done.load(ordering: .acquiring) }
        var ranElsewhere: Bool { elsewhere.load(ordering: .relaxed) }
    }

    /// The closure runs on another thread, and `join` returns only once it
    /// has returned (it sleeps first, so a join that did not wait would see
    /// nothing done).
    @Test func runsTheClosureElsewhereAndJoinWaitsForIt() throws {
        let seen = Seen()
        let caller = pthread_self()
        let thread = try WorkerThread {
            seen.elsewhere.store(pthread_equal(pthread_self(), caller) == 0, ordering: .relaxed)
            usleep(50_000)
            seen.done.store(true, ordering: .releasing)
        }
        thread.join()
        #expect(seen.isDone)
        #expect(seen.ranElsewhere)
        thread.join()  // idempotent
    }

    /// A thread its owner forgets to join is joined when the owner lets go.
    @Test func deinitJoins() throws {
        let seen = Seen()
        do {
            _ = try WorkerThread {
                usleep(50_000)
                seen.done.store(true, ordering: .releasing)
            }
        }
        #expect(seen.isDone)
    }
}
