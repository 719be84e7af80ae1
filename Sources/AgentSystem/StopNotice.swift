#if canImport(Glibc)
import Glibc
#endif

/// A descriptor that becomes readable when the agent has been told to stop
/// (the signal latch's self-pipe), so a long wait can end early.
///
/// It is only polled, never read, so every waiter sees it.
///
/// ```swift
/// let stop = StopNotice(descriptor: signalPipe)
/// if stop.wait(upTo: .seconds(2)) { return }   // told to stop
/// ```
package struct StopNotice: Sendable, Equatable {
    /// The descriptor to poll, or nil: never raised.
    package var descriptor: Int32?

    /// A notice on `descriptor`; nil never fires.
    package init(descriptor: Int32?) {
        self.descriptor = descriptor
    }

    /// A notice that never fires.
    package static let never = StopNotice(descriptor: nil)

    /// Whether the agent has been told to stop.
    package var isRaised: Bool { poll(milliseconds: 0) }

    /// Sleeps for `duration`, or less when the notice fires. Returns whether it fired.
    package func wait(upTo duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while case let left = deadline - ContinuousClock.now, left > .zero {
            if poll(milliseconds: Int32(min(left.milliseconds + 1, 1000))) { return true }
        }
        return isRaised
    }

    private func poll(milliseconds: Int32) -> Bool {
        guard let descriptor else {
            if milliseconds > 0 { system_usleep(UInt32(milliseconds) * 1000) }
            return false
        }
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = system_poll(&entry, 1, milliseconds)
        return ready > 0 && entry.revents != 0
    }
}
