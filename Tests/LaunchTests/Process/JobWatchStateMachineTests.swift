import Testing

@testable import Launch

#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's decisions without processes: each test feeds
/// ``JobWatch/StateMachine`` a table of events and expects the actions
/// (and wake-ups) the loop would perform. Times are seconds since launch.
@Suite struct JobWatchStateMachineTests {
    typealias Machine = JobWatch.StateMachine

    /// Seconds since launch, to the millisecond.
    static func t(_ seconds: Double) -> Duration { .milliseconds(Int64((seconds * 1000).rounded())) }

    static func finish(
        _ end: Termination, timedOut: Bool = false, cancelled: Bool = false, endedAt ended: Double
    ) -> Machine.Action {
        .finish(RunOutcome(termination: end, timedOut: timedOut, cancelled: cancelled, duration: t(ended)))
    }

    /// Feeds each event in order and expects the actions it gives.
    static func play(
        _ machine: inout Machine, _ steps: [(Machine.Event, [Machine.Action])],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (index, (event, actions)) in steps.enumerated() {
            #expect(machine.handle(event) == actions, "step \(index): \(event)", sourceLocation: sourceLocation)
        }
    }

    static func machine(
        _ containment: Containment = .processGroup, timeout: Double = 10, grace: Double = 5
    ) -> Machine {
        Machine(containment: containment, timeout: t(timeout), killGrace: t(grace))
    }

    // MARK: Timeout

    @Test func aTimeoutSendsSIGTERMThenSIGKILLAfterTheGrace() {
        var machine = Self.machine()
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(0)), []),
                (.pass(at: Self.t(9.999)), []),
                (.pass(at: Self.t(10)), [.terminateAll]),
                (.pass(at: Self.t(14.999)), []),
                (.pass(at: Self.t(15)), [.killAll]),
                // One group kill reaches every process: it is not repeated.
                (.pass(at: Self.t(15.5)), []),
                (.childReaped(.signaled(SIGKILL), report: nil, at: Self.t(15.6)), [.killAll]),
                (.pass(at: Self.t(15.6)), [.lookForLeftovers]),
                (
                    .looked(jobGone: true, outputOpen: false, at: Self.t(15.6)),
                    [Self.finish(.signaled(SIGKILL), timedOut: true, endedAt: 15.6)]
                ),
            ])
    }

    @Test func aJobEndingOnSIGTERMIsNotKilledLater() {
        var machine = Self.machine()
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(10)), [.terminateAll]),
                (.childReaped(.signaled(SIGTERM), report: nil, at: Self.t(10.2)), [.killAll]),
                (.pass(at: Self.t(10.2)), [.lookForLeftovers]),
                (.looked(jobGone: true, outputOpen: true, at: Self.t(10.2)), []),
                (.pass(at: Self.t(10.3)), [.lookForLeftovers]),
                (
                    .looked(jobGone: true, outputOpen: false, at: Self.t(10.3)),
                    [Self.finish(.signaled(SIGTERM), timedOut: true, endedAt: 10.2)]
                ),
            ])
    }

    @Test func aZeroGraceKillsInTheSamePass() {
        var machine = Self.machine(timeout: 0, grace: 0)
        Self.play(&machine, [(.pass(at: Self.t(0)), [.terminateAll, .killAll])])
    }

    @Test func negativeTimeoutsCountAsZero() {
        var machine = Self.machine(timeout: -5, grace: -1)
        Self.play(&machine, [(.pass(at: Self.t(0)), [.terminateAll, .killAll])])
    }

    @Test func hugeTimeoutsAreClampedToTheLongest() {
        let longest = Machine.longestTimeout
        var machine = Machine(containment: .processGroup, timeout: .seconds(Int64.max), killGrace: .seconds(Int64.max))
        #expect(machine.wake(at: .zero, pollingChild: false) == longest)
        Self.play(
            &machine,
            [
                (.pass(at: longest - .seconds(1)), []),
                (.pass(at: longest), [.terminateAll]),
            ])
        #expect(machine.wake(at: longest, pollingChild: false) == longest + longest)
        Self.play(&machine, [(.pass(at: longest + longest), [.killAll])])
    }

    // MARK: Cancellation

    @Test func aStopRequestBeforeTheTimeoutCancels() {
        var machine = Self.machine()
        Self.play(
            &machine,
            [
                (.stopRequested(at: Self.t(3)), [.terminateAll]),
                (.pass(at: Self.t(3)), []),
                (.pass(at: Self.t(8)), [.killAll]),
                // Already stopping: the deadline passing changes nothing.
                (.pass(at: Self.t(10)), []),
                (.childReaped(.signaled(SIGKILL), report: nil, at: Self.t(10.5)), [.killAll]),
                (.pass(at: Self.t(10.5)), [.lookForLeftovers]),
                (
                    .looked(jobGone: true, outputOpen: false, at: Self.t(10.5)),
                    [Self.finish(.signaled(SIGKILL), cancelled: true, endedAt: 10.5)]
                ),
            ])
    }

    @Test func aStopRequestAfterTheTimeoutOnlyMarksTheRunCancelled() {
        var machine = Self.machine()
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(10)), [.terminateAll]),
                (.stopRequested(at: Self.t(11)), []),
                (.stopRequested(at: Self.t(12)), []),
                (.pass(at: Self.t(15)), [.killAll]),
                (.childReaped(.signaled(SIGKILL), report: nil, at: Self.t(15)), [.killAll]),
                (.pass(at: Self.t(15)), [.lookForLeftovers]),
                (
                    .looked(jobGone: true, outputOpen: false, at: Self.t(15)),
                    [Self.finish(.signaled(SIGKILL), timedOut: true, cancelled: true, endedAt: 15)]
                ),
            ])
    }

    @Test func aStopRequestAfterTheMainProcessEndedIsIgnored() {
        var machine = Self.machine(.processWalk)
        Self.play(
            &machine,
            [
                (.childReaped(.exited(0), report: nil, at: Self.t(2)), [.terminateAll]),
                (.stopRequested(at: Self.t(2.1)), []),
                (.pass(at: Self.t(2.1)), [.reapOrphans, .lookForLeftovers]),
                (.looked(jobGone: true, outputOpen: false, at: Self.t(2.1)), [Self.finish(.exited(0), endedAt: 2)]),
            ])
    }

    // MARK: Leftovers, by containment

    /// The main process exits at 1 s while leftovers ignore SIGTERM: what
    /// each containment that stops leftovers with SIGTERM then SIGKILL does
    /// on every pass until they are gone at 7 s (``Containment/processGroup``
    /// kills its group at once: see the drain tests).
    @Test(arguments: [
        // containment, on a pass, once the kill is due (grace 5 s), on every pass after it
        (
            Containment.pidNamespace, [Machine.Action.lookForLeftovers], [Machine.Action.killAll, .lookForLeftovers],
            [Machine.Action.lookForLeftovers]
        ),
        (
            .processWalk, [.reapOrphans, .lookForLeftovers], [.reapOrphans, .killAll, .lookForLeftovers],
            [.reapOrphans, .killAll, .lookForLeftovers]
        ),
        (
            .containerInit, [.reapOrphans, .lookForLeftovers], [.reapOrphans, .killAll, .lookForLeftovers],
            [.reapOrphans, .killAll, .lookForLeftovers]
        ),
    ])
    func leftoversAfterTheMainProcessExited(
        containment: Containment, onPass: [Machine.Action], whenKillDue: [Machine.Action], afterKill: [Machine.Action]
    ) {
        var machine = Self.machine(containment, timeout: 100)
        let end: Machine.Event =
            containment == .pidNamespace
            ? .reported(.exited(0), at: Self.t(1)) : .childReaped(.exited(0), report: nil, at: Self.t(1))
        Self.play(
            &machine,
            [
                (end, [.terminateAll]),
                (.pass(at: Self.t(1)), onPass),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(1)), []),
                (.pass(at: Self.t(3.5)), onPass),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(3.5)), []),
                (.pass(at: Self.t(6)), whenKillDue),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(6)), []),
                (.pass(at: Self.t(6.5)), afterKill),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(6.5)), []),
                (.pass(at: Self.t(7)), afterKill),
                // Gone: the drain begins, and ends at EOF.
                (.looked(jobGone: true, outputOpen: true, at: Self.t(7)), []),
                (.pass(at: Self.t(7.5)), afterKill),
                (.looked(jobGone: true, outputOpen: false, at: Self.t(7.5)), [Self.finish(.exited(0), endedAt: 1)]),
            ])
    }

    @Test(arguments: Containment.allCases)
    func theDrainEndsAtTheLimitWhileOutputStaysOpen(containment: Containment) {
        var machine = Self.machine(containment)
        Self.play(
            &machine,
            [
                (
                    .childReaped(.exited(0), report: .exited(0), at: Self.t(1)),
                    containment == .processGroup ? [.killAll] : [.terminateAll]
                ),
                (.looked(jobGone: true, outputOpen: true, at: Self.t(1)), []),
                (.looked(jobGone: true, outputOpen: true, at: Self.t(2.999)), []),
                (.looked(jobGone: true, outputOpen: true, at: Self.t(3)), [Self.finish(.exited(0), endedAt: 1)]),
            ])
    }

    @Test func aProcessGroupDrainsFromTheMainProcessExitEvenIfTheGroupLingers() {
        var machine = Self.machine(.processGroup)
        Self.play(
            &machine,
            [
                (.childReaped(.exited(4), report: nil, at: Self.t(1)), [.killAll]),
                (.looked(jobGone: false, outputOpen: false, at: Self.t(1)), []),
                (.looked(jobGone: true, outputOpen: true, at: Self.t(2)), []),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(3)), [Self.finish(.exited(4), endedAt: 1)]),
            ])
    }

    @Test func lookingWhileTheMainProcessRunsDecidesNothing() {
        var machine = Self.machine(.processWalk)
        Self.play(&machine, [(.looked(jobGone: true, outputOpen: false, at: Self.t(1)), [])])
        #expect(machine.wake(at: Self.t(1), pollingChild: false) == Self.t(0.1))
    }

    // MARK: Repeated kills and orphan reaping

    @Test(arguments: Containment.allCases)
    func theKillIsRepeatedOnEveryPassOnlyWhereNoUnitKillExists(containment: Containment) {
        var machine = Self.machine(containment)
        let repeats = containment == .processWalk || containment == .containerInit
        let reaps = repeats
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(10)), (reaps ? [.reapOrphans] : []) + [.terminateAll]),
                (.pass(at: Self.t(15)), (reaps ? [.reapOrphans] : []) + [.killAll]),
                (.pass(at: Self.t(15.025)), repeats ? [.killAll] : []),
                (.pass(at: Self.t(15.05)), repeats ? [.killAll] : []),
                (.pass(at: Self.t(15.1)), (reaps ? [.reapOrphans] : []) + (repeats ? [.killAll] : [])),
            ])
        let sweep = Self.t(15.1) + Machine.sweepInterval
        #expect(machine.wake(at: Self.t(15.1), pollingChild: false) == (repeats ? sweep : nil))
    }

    @Test func orphansAreReapedTenTimesASecondWhileTheJobRuns() {
        var machine = Self.machine(.containerInit)
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(0)), []),
                (.pass(at: Self.t(0.099)), []),
                (.pass(at: Self.t(0.1)), [.reapOrphans]),
                (.pass(at: Self.t(0.15)), []),
                (.pass(at: Self.t(0.2)), [.reapOrphans]),
            ])
        #expect(machine.wake(at: Self.t(0.25), pollingChild: false) == Self.t(0.3))
    }

    // MARK: PID namespace

    @Test func theInitsReportIsTheProgramsEnd() {
        var machine = Self.machine(.pidNamespace)
        Self.play(
            &machine,
            [
                (.reported(.exited(3), at: Self.t(1)), [.terminateAll]),
                // The init's own end (after the namespace emptied) changes nothing.
                (.childReaped(.exited(0), report: nil, at: Self.t(1.1)), []),
                (.pass(at: Self.t(1.1)), [.lookForLeftovers]),
                (.looked(jobGone: true, outputOpen: false, at: Self.t(1.1)), [Self.finish(.exited(3), endedAt: 1)]),
            ])
    }

    @Test func aReportReadWithTheInitsEndCounts() {
        var machine = Self.machine(.pidNamespace)
        Self.play(
            &machine,
            [
                (.childReaped(.exited(0), report: .signaled(SIGSEGV), at: Self.t(1)), [.terminateAll]),
                (.reported(.exited(9), at: Self.t(1.1)), []),
                (.pass(at: Self.t(1.1)), [.lookForLeftovers]),
                (
                    .looked(jobGone: true, outputOpen: false, at: Self.t(1.1)),
                    [Self.finish(.signaled(SIGSEGV), endedAt: 1)]
                ),
            ])
    }

    @Test func anInitKilledWithoutAReportTookTheProgramWithIt() {
        var machine = Self.machine(.pidNamespace)
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(10)), [.terminateAll]),
                (.pass(at: Self.t(15)), [.killAll]),
                (.childReaped(.signaled(SIGKILL), report: nil, at: Self.t(15.1)), []),
                (.pass(at: Self.t(15.1)), [.lookForLeftovers]),
                (
                    .looked(jobGone: true, outputOpen: false, at: Self.t(15.1)),
                    [Self.finish(.signaled(SIGKILL), timedOut: true, endedAt: 15.1)]
                ),
            ])
    }

    @Test func anInitExitingWithoutAReportIsAFailure() {
        var machine = Self.machine(.pidNamespace)
        Self.play(
            &machine, [(.childReaped(.exited(1), report: nil, at: Self.t(1)), [.initEndedUnreported(.exited(1))])])
    }

    // MARK: Wake-ups

    @Test func whileTheJobRunsTheLoopWakesForTheDeadlineOrToPollTheChild() {
        let machine = Self.machine(.processGroup)
        #expect(machine.wake(at: Self.t(1), pollingChild: false) == Self.t(10))
        #expect(machine.wake(at: Self.t(1), pollingChild: true) == Self.t(1.05))
        let walking = Self.machine(.processWalk)
        #expect(walking.wake(at: Self.t(0.05), pollingChild: false) == Self.t(0.1))
    }

    @Test func afterTheTimeoutTheLoopWaitsForTheKillNotThePassedDeadline() {
        var machine = Self.machine(.processGroup)
        Self.play(&machine, [(.pass(at: Self.t(10)), [.terminateAll])])
        #expect(machine.wake(at: Self.t(10), pollingChild: false) == Self.t(15))
        #expect(machine.wake(at: Self.t(12), pollingChild: false) == Self.t(15))
        Self.play(&machine, [(.pass(at: Self.t(15)), [.killAll])])
        // Killed as a unit: only the child's end (pidfd) is waited for.
        #expect(machine.wake(at: Self.t(15), pollingChild: false) == nil)
    }

    @Test func whileLeftoversAreStoppedTheLoopSweepsWithoutSpinning() {
        var machine = Self.machine(.processWalk)
        Self.play(
            &machine,
            [
                (.pass(at: Self.t(0.1)), [.reapOrphans]),
                (.childReaped(.exited(0), report: nil, at: Self.t(0.15)), [.terminateAll]),
                (.pass(at: Self.t(0.5)), [.reapOrphans, .lookForLeftovers]),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(0.5)), []),
            ])
        // Not the reap due 0.1 s after the last reap while running (long past).
        #expect(machine.wake(at: Self.t(0.5), pollingChild: false) == Self.t(0.525))
    }

    @Test func whileDrainingTheLoopLooksForLeftoversUntilTheyAreGone() {
        var machine = Self.machine(.processGroup)
        Self.play(
            &machine,
            [
                (.childReaped(.exited(0), report: nil, at: Self.t(1)), [.killAll]),
                (.looked(jobGone: false, outputOpen: true, at: Self.t(1)), []),
            ])
        #expect(machine.wake(at: Self.t(1), pollingChild: false) == Self.t(1.01))
        #expect(machine.wake(at: Self.t(2.995), pollingChild: false) == Self.t(3))
        Self.play(&machine, [(.looked(jobGone: true, outputOpen: true, at: Self.t(1.5)), [])])
        #expect(machine.wake(at: Self.t(1.5), pollingChild: false) == Self.t(3))
    }
}
