import AgentSystem
import CAgentSupport
import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// The single-threaded loop that watches one running job: it forwards
/// output as it arrives, enforces the deadline and the kill grace, reacts
/// to the agent's signals, and ends only once the job's main process has
/// ended and, as its ``Containment`` can tell, nothing else of the job is
/// left.
struct JobWatch {
    /// How long output is still drained after the job is gone (or, for
    /// ``Containment/processGroup``, after its main process exited: a
    /// process that escaped the group could hold the pipes open forever).
    static let drainLimit: Duration = .seconds(2)
    /// How often the child is polled with `waitpid` when no pidfd is available.
    static let pollInterval: Duration = .milliseconds(50)
    /// How often the process group is looked at while it empties.
    static let reapInterval: Duration = .milliseconds(10)
    /// How often the job's leftovers are signalled and looked for while they
    /// are being stopped (``Containment/processWalk``, ``Containment/containerInit``).
    static let sweepInterval: Duration = .milliseconds(25)
    /// How often orphans are reaped while the job still runs (their zombies
    /// count against the job's own process limit until they are).
    static let orphanReapInterval: Duration = .milliseconds(100)
    /// Longer timeouts are treated as this (no overflow in clock arithmetic).
    static let longestTimeout: Duration = .seconds(100 * 365 * 86400)

    let job: SpawnedJob
    let plan: LaunchPlan
    let pipes: JobPipes
    let clock = ContinuousClock()

    private enum Slot { case stream(OutputStreamKind), child, status, wake }

    func run(output: some OutputSink) throws(LaunchError) -> RunOutcome {
        let started = clock.now
        let pidfd = sf_pidfd_open(job.pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        var statusDescriptor = job.statusDescriptor
        defer { if let statusDescriptor { close(statusDescriptor) } }
        let wake = AgentSignals.wakeDescriptor
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: JobPipes.pipeBytes, alignment: 16)
        defer { buffer.deallocate() }

        let containment = plan.containment
        var processes = JobProcesses(pid: job.pid, containment: containment)
        let deadline = started + min(max(plan.timeout, .zero), Self.longestTimeout)
        let grace = min(max(plan.killGrace, .zero), Self.longestTimeout)
        var termination: Termination?
        var ended = started
        var timedOut = false
        var cancelled = false
        var killAt: ContinuousClock.Instant?
        var killed = false
        var drainUntil: ContinuousClock.Instant?
        var lastReap = started

        /// SIGTERM to every process of the job; SIGKILL due after the grace.
        func stop(at now: ContinuousClock.Instant) {
            guard killAt == nil else { return }
            processes.signal(SIGTERM)
            killAt = now + grace
        }

        /// SIGKILL to every process of the job once due; repeated on every
        /// pass where the containment cannot kill them as one unit, so
        /// processes forked in the meantime die too.
        func killIfDue(at now: ContinuousClock.Instant) {
            guard let killAt, now >= killAt, !killed || processes.repeatsKill else { return }
            processes.signal(SIGKILL)
            killed = true
        }

        /// The main process ended (or, in a PID namespace, was reported ended).
        func mainEnded(_ status: Termination, at now: ContinuousClock.Instant) {
            termination = status
            ended = now
            if containment == .processGroup {
                // Leftovers of the job's process group (background jobs).
                processes.signal(SIGKILL)
                drainUntil = now + Self.drainLimit
            } else {
                // Whatever of the job is left gets SIGTERM, then SIGKILL.
                stop(at: now)
            }
        }

        while true {
            let now = clock.now
            if termination == nil {
                // Orphans the job leaves while it runs (double forks that
                // exit) are reaped ten times a second, so zombies do not
                // pile up in a long job. In a PID namespace the init does it.
                if processes.reapsOrphans && now - lastReap >= Self.orphanReapInterval {
                    ChildTracker.reapOrphans()
                    lastReap = now
                }
                if now >= deadline && killAt == nil {
                    timedOut = true
                    stop(at: now)
                }
                killIfDue(at: now)
            } else {
                if processes.reapsOrphans { ChildTracker.reapOrphans() }
                killIfDue(at: now)
                if drainUntil == nil && processes.areGone() { drainUntil = now + Self.drainLimit }
                if let until = drainUntil, (!pipes.anyOpen && processes.areGone()) || now >= until { break }
            }

            var descriptors: [pollfd] = []
            var slots: [Slot] = []
            for stream in OutputStreamKind.allCases {
                if let fd = pipes.readEnd(stream) {
                    descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
                    slots.append(.stream(stream))
                }
            }
            if !processes.childReaped && pidfd >= 0 {
                descriptors.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0))
                slots.append(.child)
            }
            if let statusDescriptor {
                descriptors.append(pollfd(fd: statusDescriptor, events: Int16(POLLIN), revents: 0))
                slots.append(.status)
            }
            if let wake {
                descriptors.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0))
                slots.append(.wake)
            }

            let next = nextWake(
                now: now, running: termination == nil, deadline: deadline, killAt: killAt, killed: killed,
                drainUntil: drainUntil, lastReap: lastReap, processes: processes, hasPidfd: pidfd >= 0)
            let ready = poll(&descriptors, nfds_t(descriptors.count), Self.milliseconds(until: next, from: now))
            if ready < 0 {
                let error = currentErrno()
                if error == EINTR { continue }
                abandon(&processes)
                throw LaunchError(.supervisionFailed, cannot: "watch \(plan.executable)", step: "poll", errno: error)
            }

            var childReady = pidfd < 0 && !processes.childReaped
            for (index, slot) in slots.enumerated() where descriptors[index].revents != 0 {
                switch slot {
                case .stream(let stream): forward(stream, buffer: buffer, to: output)
                case .child: childReady = true
                case .status:
                    if let status = Self.readStatus(&statusDescriptor), termination == nil {
                        mainEnded(status, at: clock.now)
                    }
                case .wake:
                    drain(descriptors[index].fd, buffer: buffer)
                    if termination == nil {
                        cancelled = true
                        stop(at: clock.now)
                    }
                }
            }

            guard childReady else { continue }
            var status: Int32 = 0
            let reaped = waitpid(job.pid, &status, WNOHANG)
            if reaped < 0 && currentErrno() != EINTR {
                let error = currentErrno()
                abandon(&processes)
                throw LaunchError(
                    .supervisionFailed, cannot: "wait for \(plan.executable)", step: "waitpid", errno: error)
            }
            guard reaped == job.pid else { continue }
            processes.childReaped = true
            guard containment == .pidNamespace else {
                mainEnded(Termination(waitStatus: status), at: clock.now)
                continue
            }
            // The init is gone, and with it every process of the namespace.
            if termination == nil, let reported = Self.readStatus(&statusDescriptor) {
                mainEnded(reported, at: clock.now)
            }
            if termination == nil {
                // No report: the init was killed (the grace ran out, or the
                // agent's supervision gave up) and took the program with it.
                let initEnd = Termination(waitStatus: status)
                guard case .signaled(let signal) = initEnd else {
                    throw LaunchError(
                        .supervisionFailed, step: "waitpid",
                        sentence:
                            "the job's PID namespace init ended (\(initEnd)) without reporting how \(plan.executable) ended"
                    )
                }
                mainEnded(.signaled(signal), at: clock.now)
            }
        }

        for stream in OutputStreamKind.allCases { pipes.closeReadEnd(stream) }
        guard let termination else {
            throw LaunchError(.supervisionFailed, step: "waitpid", sentence: "lost track of \(plan.executable)")
        }
        return RunOutcome(termination: termination, timedOut: timedOut, cancelled: cancelled, duration: ended - started)
    }

    /// When the loop must look again without an event.
    private func nextWake(
        now: ContinuousClock.Instant, running: Bool, deadline: ContinuousClock.Instant,
        killAt: ContinuousClock.Instant?, killed: Bool, drainUntil: ContinuousClock.Instant?,
        lastReap: ContinuousClock.Instant, processes: JobProcesses, hasPidfd: Bool
    ) -> ContinuousClock.Instant? {
        var next: ContinuousClock.Instant?
        func atMost(_ instant: ContinuousClock.Instant) { next = min(next ?? instant, instant) }
        if let drainUntil {
            atMost(drainUntil)
            if !processes.areGone() { atMost(now + Self.reapInterval) }
            return next
        }
        if running { atMost(deadline) }
        if let killAt, !killed { atMost(max(killAt, now)) }
        if processes.repeatsKill && (killed || !running) { atMost(now + Self.sweepInterval) }
        if processes.reapsOrphans { atMost(lastReap + Self.orphanReapInterval) }
        if !hasPidfd && !processes.childReaped { atMost(now + Self.pollInterval) }
        return next
    }

    private var containment: Containment { plan.containment }

    /// Reads the init's report of the program's wait status; closes the
    /// descriptor once it is read or at end of file.
    private static func readStatus(_ descriptor: inout Int32?) -> Termination? {
        guard let fd = descriptor else { return nil }
        var record: Int32 = 0
        let count = withUnsafeMutableBytes(of: &record) { read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (currentErrno() == EAGAIN || currentErrno() == EINTR) { return nil }
        close(fd)
        descriptor = nil
        return count == MemoryLayout<Int32>.size ? Termination(waitStatus: record) : nil
    }

    /// Reads what is available on `stream` (one read) and hands it on; EOF
    /// or a read error closes the stream.
    private func forward(_ stream: OutputStreamKind, buffer: UnsafeMutableRawBufferPointer, to output: some OutputSink)
    {
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

    /// Kills every process of the job and reaps the child, when supervision itself failed.
    private func abandon(_ processes: inout JobProcesses) {
        processes.signal(SIGKILL)
        guard !processes.childReaped else { return }
        var status: Int32 = 0
        while waitpid(job.pid, &status, 0) < 0 && currentErrno() == EINTR {}
        processes.childReaped = true
    }

    /// A `poll` timeout reaching `instant`, rounded up; -1 for none.
    private static func milliseconds(until instant: ContinuousClock.Instant?, from now: ContinuousClock.Instant)
        -> Int32
    {
        guard let instant else { return -1 }
        if instant <= now { return 0 }
        let millis = (instant - now).milliseconds + 1
        return Int32(clamping: millis)
    }
}
