import AgentSystem
import CAgentSupport
import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// The single-threaded loop that watches one running job: it forwards
/// output as it arrives, enforces the deadline and the kill grace, reacts
/// to the agent's signals, reaps the job and cleans up what it left.
struct JobWatch {
    /// How long output is still drained, and the job's killed process group
    /// waited for, after the job exited (something that escaped the group
    /// could hold the pipes open forever).
    static let drainLimit: Duration = .seconds(2)
    /// How often the job is polled with `waitpid` when no pidfd is available.
    static let pollInterval: Duration = .milliseconds(50)
    /// How often leftovers are looked for while the job's group empties.
    static let reapInterval: Duration = .milliseconds(10)
    /// How often `/proc` is scanned for the job's leftovers (every
    /// descendant) while they are being stopped.
    static let sweepInterval: Duration = .milliseconds(25)
    /// How often orphans are reaped while the job still runs.
    static let orphanReapInterval: Duration = .seconds(1)
    /// Longer timeouts are treated as this (no overflow in clock arithmetic).
    static let longestTimeout: Duration = .seconds(100 * 365 * 86400)

    let pid: pid_t
    let plan: LaunchPlan
    let pipes: JobPipes
    let clock = ContinuousClock()

    private enum Slot { case stream(OutputStreamKind), child, wake }

    func run(output: some OutputSink) throws(LaunchError) -> RunOutcome {
        let started = clock.now
        let pidfd = sf_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        let wake = AgentSignals.wakeDescriptor
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: JobPipes.pipeBytes, alignment: 16)
        defer { buffer.deallocate() }

        let deadline = started + min(max(plan.timeout, .zero), Self.longestTimeout)
        var termination: Termination?
        var ended = started
        var timedOut = false
        var cancelled = false
        var killAt: ContinuousClock.Instant?
        var killed = false
        var drainUntil: ContinuousClock.Instant?

        let sweep = plan.reclaimsEveryDescendant
        let grace = min(max(plan.killGrace, .zero), Self.longestTimeout)
        var leftovers = false
        var lastReap = started

        /// SIGTERM to the job (its group; with `sweep` every descendant),
        /// SIGKILL due after the grace.
        func stop(at now: ContinuousClock.Instant) {
            guard killAt == nil else { return }
            kill(-pid, SIGTERM)
            if sweep { Descendants.signalAll(SIGTERM) }
            killAt = now + grace
        }

        /// SIGKILL to the job; with `sweep`, repeated on every pass once due,
        /// so processes forked in the meantime die too.
        func killIfDue(at now: ContinuousClock.Instant) {
            guard let killAt, now >= killAt, !killed || sweep else { return }
            kill(-pid, SIGKILL)
            if sweep { Descendants.signalAll(SIGKILL) }
            killed = true
        }

        while true {
            let now = clock.now
            var groupGone = false
            if termination != nil {
                // Orphans of the job become our zombies (we are a subreaper):
                // reap them so the group can empty.
                ChildTracker.reapOrphans()
                if sweep {
                    killIfDue(at: now)
                    leftovers = !Descendants.outsideOwnSession().isEmpty
                    if !leftovers {
                        let until = drainUntil ?? now + Self.drainLimit
                        drainUntil = until
                        if !pipes.anyOpen || now >= until { break }
                    }
                } else {
                    groupGone = kill(-pid, 0) != 0 && currentErrno() == ESRCH
                    if (!pipes.anyOpen && groupGone) || now >= (drainUntil ?? now) { break }
                }
            }
            if termination == nil {
                // Orphans the job leaves while it runs (double forks that
                // exit) are reaped about once a second, so zombies do not
                // pile up in a long job.
                if sweep && now - lastReap >= Self.orphanReapInterval {
                    ChildTracker.reapOrphans()
                    lastReap = now
                }
                if now >= deadline && killAt == nil {
                    timedOut = true
                    stop(at: now)
                }
                killIfDue(at: now)
            }

            var descriptors: [pollfd] = []
            var slots: [Slot] = []
            for stream in OutputStreamKind.allCases {
                if let fd = pipes.readEnd(stream) {
                    descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
                    slots.append(.stream(stream))
                }
            }
            if termination == nil && pidfd >= 0 {
                descriptors.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0))
                slots.append(.child)
            }
            if let wake {
                descriptors.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
                slots.append(.wake)
            }

            var next: ContinuousClock.Instant?
            if termination == nil {
                next = killAt == nil ? deadline : (killed ? nil : killAt)
                if sweep && killed { next = now + Self.sweepInterval }
                if sweep { next = min(next ?? now + Self.orphanReapInterval, lastReap + Self.orphanReapInterval) }
                if pidfd < 0 { next = min(next ?? now + Self.pollInterval, now + Self.pollInterval) }
            } else if sweep && leftovers {
                next = now + Self.sweepInterval
                if let killAt, !killed { next = min(now + Self.sweepInterval, max(killAt, now)) }
            } else {
                next = drainUntil
                if !groupGone, let until = drainUntil { next = min(until, now + Self.reapInterval) }
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Self.milliseconds(until: next, from: now))
            if ready < 0 {
                let error = currentErrno()
                if error == EINTR { continue }
                abandon()
                throw LaunchError(.supervisionFailed, cannot: "watch \(plan.executable)", step: "poll", errno: error)
            }

            var childReady = pidfd < 0
            for (index, slot) in slots.enumerated() where descriptors[index].revents != 0 {
                switch slot {
                case .stream(let stream): forward(stream, buffer: buffer, to: output)
                case .child: childReady = true
                case .wake:
                    drain(descriptors[index].fd, buffer: buffer)
                    if termination == nil {
                        cancelled = true
                        stop(at: clock.now)
                    }
                }
            }

            if termination == nil && childReady {
                var status: Int32 = 0
                let reaped = waitpid(pid, &status, WNOHANG)
                if reaped == pid {
                    ended = clock.now
                    termination = Termination(waitStatus: status)
                    if sweep {
                        // Whatever of the job is left gets SIGTERM, then SIGKILL.
                        stop(at: ended)
                    } else {
                        // Leftovers of the job's process group (background jobs).
                        kill(-pid, SIGKILL)
                        drainUntil = ended + Self.drainLimit
                    }
                } else if reaped < 0 && currentErrno() != EINTR {
                    let error = currentErrno()
                    abandon()
                    throw LaunchError(.supervisionFailed, cannot: "wait for \(plan.executable)", step: "waitpid", errno: error)
                }
            }
        }

        for stream in OutputStreamKind.allCases { pipes.closeReadEnd(stream) }
        guard let termination else {
            throw LaunchError(.supervisionFailed, step: "waitpid", sentence: "lost track of \(plan.executable)")
        }
        return RunOutcome(termination: termination, timedOut: timedOut, cancelled: cancelled, duration: ended - started)
    }

    /// Reads what is available on `stream` (one read) and hands it on; EOF
    /// or a read error closes the stream.
    private func forward(_ stream: OutputStreamKind, buffer: UnsafeMutableRawBufferPointer, to output: some OutputSink) {
        guard let fd = pipes.readEnd(stream) else { return }
        let count = read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            output.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), to: stream)
        } else if count == 0 || (currentErrno() != EINTR && currentErrno() != EAGAIN) {
            pipes.closeReadEnd(stream)
        }
    }

    /// Empties the non-blocking signal self-pipe.
    private func drain(_ fd: Int32, buffer: UnsafeMutableRawBufferPointer) {
        while read(fd, buffer.baseAddress, buffer.count) > 0 {}
    }

    /// Kills the whole group and reaps the job, when supervision itself failed.
    private func abandon() {
        kill(-pid, SIGKILL)
        if plan.reclaimsEveryDescendant { Descendants.signalAll(SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && currentErrno() == EINTR {}
    }

    /// A `poll` timeout reaching `instant`, rounded up; -1 for none.
    private static func milliseconds(until instant: ContinuousClock.Instant?, from now: ContinuousClock.Instant) -> Int32 {
        guard let instant else { return -1 }
        if instant <= now { return 0 }
        let millis = (instant - now).milliseconds + 1
        return Int32(clamping: millis)
    }
}
