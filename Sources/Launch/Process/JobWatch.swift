import AgentSystem
import CAgentSupport
import OutputCapture

#if canImport(Glibc)
import Glibc
#endif

/// The single-threaded loop that watches one running job: it forwards
/// output as it arrives and tells its ``StateMachine`` what happened (the
/// main process ended, the agent got a signal, time passed), which decides
/// when the job is stopped and killed and when the run ends: only once the
/// job's main process has ended and, as its ``Containment`` can tell,
/// nothing else of the job is left.
final class JobWatch {
    private enum Slot { case stream(OutputStreamKind), child, status, wake }

    private let job: SpawnedJob
    private let plan: LaunchPlan
    private let pipes: JobPipes
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private let pidfd: Int32
    /// The agent's signal latch (``AgentSignals``), if installed.
    private let wakeDescriptor = AgentSignals.wakeDescriptor
    /// Where the PID namespace's init reports the program's end, until read.
    private var statusDescriptor: Int32?
    private var processes: JobProcesses
    private var machine: StateMachine
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: JobPipes.pipeBytes, alignment: 16)

    init(job: SpawnedJob, plan: LaunchPlan, pipes: JobPipes) {
        self.job = job
        self.plan = plan
        self.pipes = pipes
        started = clock.now
        pidfd = sf_pidfd_open(job.pid)
        statusDescriptor = job.statusDescriptor
        processes = JobProcesses(pid: job.pid, containment: plan.containment)
        machine = StateMachine(containment: plan.containment, timeout: plan.timeout, killGrace: plan.killGrace)
    }

    deinit {
        if pidfd >= 0 { system_close(pidfd) }
        if let statusDescriptor { system_close(statusDescriptor) }
        buffer.deallocate()
    }

    /// Watches the job to its end (once per watch).
    func run(output: some OutputSink) throws(LaunchError) -> RunOutcome {
        var events: [StateMachine.Event] = []
        while true {
            let now = elapsed
            // What happened while the loop waited, then a pass at `now`.
            events.append(.pass(at: now))
            for event in events {
                if let outcome = try perform(machine.handle(event)) { return outcome }
            }
            events = try wait(until: machine.wake(at: now, pollingChild: pollsChild), from: now, output: output)
        }
    }

    private var elapsed: Duration { clock.now - started }

    /// The child's end is noticed only by calling `waitpid` (no pidfd).
    private var pollsChild: Bool { pidfd < 0 && !processes.childReaped }

    /// Does what the machine said; the outcome once the run is over.
    private func perform(_ actions: [StateMachine.Action]) throws(LaunchError) -> RunOutcome? {
        for action in actions {
            switch action {
            case .reapOrphans:
                ChildTracker.reapOrphans()
            case .terminateAll:
                processes.signal(SIGTERM)
            case .killAll:
                processes.signal(SIGKILL)
            case .lookForLeftovers:
                let found = StateMachine.Event.looked(
                    jobGone: processes.areGone(), outputOpen: pipes.anyOpen, at: elapsed)
                if let outcome = try perform(machine.handle(found)) { return outcome }
            case .finish(let outcome):
                for stream in OutputStreamKind.allCases { pipes.closeReadEnd(stream) }
                return outcome
            case .initEndedUnreported(let initEnd):
                throw LaunchError(
                    .supervisionFailed, step: "waitpid",
                    sentence:
                        "The job's PID namespace init ended (\(initEnd)) without reporting how \(plan.executable) ended."
                )
            }
        }
        return nil
    }

    /// Waits until something happens or `wake` comes, forwards the output
    /// that arrived, and returns what else happened.
    private func wait(until wake: Duration?, from now: Duration, output: some OutputSink) throws(LaunchError)
        -> [StateMachine.Event]
    {
        var (descriptors, slots) = watchedDescriptors()
        if system_poll(&descriptors, nfds_t(descriptors.count), Self.milliseconds(until: wake, from: now)) < 0 {
            let error = currentErrno()
            if error == EINTR { return [] }
            abandon()
            throw LaunchError(.supervisionFailed, cannot: "watch \(plan.executable)", step: "poll", errno: error)
        }
        var events: [StateMachine.Event] = []
        var childReady = pollsChild
        for (index, slot) in slots.enumerated() where descriptors[index].revents != 0 {
            switch slot {
            case .stream(let stream): forward(stream, to: output)
            case .child: childReady = true
            case .status:
                if let report = Self.readStatus(&statusDescriptor) { events.append(.reported(report, at: elapsed)) }
            case .wake:
                drain(descriptors[index].fd)
                events.append(.stopRequested(at: elapsed))
            }
        }
        if childReady, let status = try reapChild() {
            // In a PID namespace, the init's report (unless already read).
            let report = Self.readStatus(&statusDescriptor)
            events.append(.childReaped(Termination(waitStatus: status), report: report, at: elapsed))
        }
        return events
    }

    /// The open output pipes, the child's pidfd until it is reaped, the
    /// init's status pipe and the agent's signal latch.
    private func watchedDescriptors() -> ([pollfd], [Slot]) {
        var watched: [(Int32, Slot)] = []
        for stream in OutputStreamKind.allCases {
            if let fd = pipes.readEnd(stream) { watched.append((fd, .stream(stream))) }
        }
        if !processes.childReaped && pidfd >= 0 { watched.append((pidfd, .child)) }
        if let statusDescriptor { watched.append((statusDescriptor, .status)) }
        if let wakeDescriptor { watched.append((wakeDescriptor, .wake)) }
        return (watched.map { pollfd(fd: $0.0, events: Int16(POLLIN), revents: 0) }, watched.map(\.1))
    }

    /// The child's wait status once it ended and was reaped; nil while it runs.
    private func reapChild() throws(LaunchError) -> Int32? {
        var status: Int32 = 0
        let reaped = system_waitpid(job.pid, &status, WNOHANG)
        if reaped < 0 && currentErrno() != EINTR {
            let error = currentErrno()
            abandon()
            throw LaunchError(.supervisionFailed, cannot: "wait for \(plan.executable)", step: "waitpid", errno: error)
        }
        guard reaped == job.pid else { return nil }
        processes.childReaped = true
        return status
    }

    /// Reads the init's report of the program's wait status; closes the
    /// descriptor once it is read or at end of file.
    private static func readStatus(_ descriptor: inout Int32?) -> Termination? {
        guard let fd = descriptor else { return nil }
        var record: Int32 = 0
        let count = withUnsafeMutableBytes(of: &record) { system_read(fd, $0.baseAddress, $0.count) }
        if count < 0 && (currentErrno() == EAGAIN || currentErrno() == EINTR) { return nil }
        system_close(fd)
        descriptor = nil
        return count == MemoryLayout<Int32>.size ? Termination(waitStatus: record) : nil
    }

    /// Reads what is available on `stream` (one read) and hands it on; EOF
    /// or a read error closes the stream.
    private func forward(_ stream: OutputStreamKind, to output: some OutputSink) {
        guard let fd = pipes.readEnd(stream) else { return }
        let count = system_read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            output.write(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), to: stream)
        } else if count == 0 || (currentErrno() != EINTR && currentErrno() != EAGAIN) {
            pipes.closeReadEnd(stream)
        }
    }

    /// Empties the non-blocking signal self-pipe.
    private func drain(_ fd: Int32) {
        while system_read(fd, buffer.baseAddress, buffer.count) > 0 {}
    }

    /// Kills every process of the job and reaps the child, when supervision itself failed.
    private func abandon() {
        processes.signal(SIGKILL)
        guard !processes.childReaped else { return }
        var status: Int32 = 0
        while system_waitpid(job.pid, &status, 0) < 0 && currentErrno() == EINTR {}
        processes.childReaped = true
    }

    /// A `poll` timeout reaching `instant`, rounded up; -1 for none.
    private static func milliseconds(until instant: Duration?, from now: Duration) -> Int32 {
        guard let instant else { return -1 }
        if instant <= now { return 0 }
        return Int32(clamping: (instant - now).milliseconds + 1)
    }
}
