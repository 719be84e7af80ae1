extension JobWatch {
    /// What the watch decides, apart from what it does: when the job is
    /// stopped and killed, when orphans are reaped and leftovers looked
    /// for, how long output is drained, and how the run ended. The loop in
    /// ``JobWatch/run(output:)`` feeds it what happened and performs the
    /// actions it returns; tests feed it tables. Time is the ``Duration``
    /// since launch.
    ///
    /// ```swift
    /// var machine = JobWatch.StateMachine(containment: .processGroup, timeout: .seconds(10), killGrace: .seconds(5))
    /// machine.handle(.pass(at: .seconds(10)))  // [.terminateAll]
    /// machine.handle(.pass(at: .seconds(15)))  // [.killAll]
    /// machine.handle(.childReaped(.signaled(9), report: nil, at: .seconds(15)))  // [.killAll]
    /// ```
    struct StateMachine {
        /// How long output is still drained after the job is gone (or, for
        /// ``Containment/processGroup``, after its main process exited: a
        /// process that escaped the group could hold the pipes open forever).
        static let drainLimit: Duration = .seconds(2)
        /// How often the child is polled with `waitpid` when no pidfd is available.
        static let pollInterval: Duration = .milliseconds(50)
        /// How often the job's leftovers are looked for while they are drained.
        static let reapInterval: Duration = .milliseconds(10)
        /// How often the job's leftovers are signalled and looked for while they
        /// are being stopped (``Containment/processWalk``, ``Containment/containerInit``).
        static let sweepInterval: Duration = .milliseconds(25)
        /// How often orphans are reaped while the job still runs (their zombies
        /// count against the job's own process limit until they are).
        static let orphanReapInterval: Duration = .milliseconds(100)
        /// Longer timeouts are treated as this (no overflow in clock arithmetic).
        static let longestTimeout: Duration = .seconds(100 * 365 * 86400)

        /// What happened, as the loop saw it.
        enum Event: Equatable {
            /// The loop starts a pass (after an event or its timeout).
            case pass(at: Duration)
            /// What ``Action/lookForLeftovers`` found: whether nothing of the
            /// job is left, and whether any output pipe is still open.
            case looked(jobGone: Bool, outputOpen: Bool, at: Duration)
            /// The PID namespace's init reported how the program ended.
            case reported(Termination, at: Duration)
            /// The agent's child was reaped: the main process or, in a PID
            /// namespace, the init (`report` is what it said of the program, if anything).
            case childReaped(Termination, report: Termination?, at: Duration)
            /// The agent got `SIGTERM`, `SIGINT` or `SIGHUP`.
            case stopRequested(at: Duration)
        }

        /// What the loop is to do, in order.
        enum Action: Equatable {
            /// Reap the job's exited orphans.
            case reapOrphans
            /// `SIGTERM` to every process of the job.
            case terminateAll
            /// `SIGKILL` to every process of the job.
            case killAll
            /// Look whether anything of the job is left, and answer with ``Event/looked(jobGone:outputOpen:at:)``.
            case lookForLeftovers
            /// The run is over.
            case finish(RunOutcome)
            /// The PID namespace's init ended so, without reporting how the program ended.
            case initEndedUnreported(Termination)
        }

        /// The job's main process.
        private enum Main: Equatable {
            case running
            case ended(Termination, at: Duration)
        }

        /// How far stopping the job has come.
        private enum Stop: Equatable {
            case notAsked
            /// `SIGTERM` was sent; `SIGKILL` is due at `killAt`.
            case terminated(killAt: Duration)
            case killed
        }

        private let containment: Containment
        private let deadline: Duration
        private let grace: Duration
        private var main = Main.running
        private var stop = Stop.notAsked
        private var timedOut = false
        private var cancelled = false
        /// Output is drained until then at most (set once the drain began).
        private var drainUntil: Duration?
        private var lastReap = Duration.zero
        /// What the last look found, once the main process ended.
        private var jobGone = false

        /// A machine for a job just launched; timeout and grace are
        /// clamped to `0...longestTimeout`.
        init(containment: Containment, timeout: Duration, killGrace: Duration) {
            self.containment = containment
            deadline = min(max(timeout, .zero), Self.longestTimeout)
            grace = min(max(killGrace, .zero), Self.longestTimeout)
        }

        /// Takes in `event`; returns what the loop is to do now.
        mutating func handle(_ event: Event) -> [Action] {
            switch event {
            case .pass(let now):
                return pass(at: now)
            case .looked(let gone, let outputOpen, let now):
                return looked(jobGone: gone, outputOpen: outputOpen, at: now)
            case .reported(let end, let now):
                return main == .running ? mainEnded(end, at: now) : []
            case .childReaped(let end, let report, let now):
                return childReaped(end, report: report, at: now)
            case .stopRequested(let now):
                guard main == .running else { return [] }
                cancelled = true
                return terminate(at: now)
            }
        }

        /// When the loop must start a pass even if nothing happens; nil
        /// for never. `pollingChild`: the child's end is noticed only by
        /// `waitpid` (no pidfd).
        func wake(at now: Duration, pollingChild: Bool) -> Duration? {
            var next: Duration?
            func atMost(_ instant: Duration) { next = min(next ?? instant, instant) }
            if let drainUntil {
                atMost(drainUntil)
                if !jobGone { atMost(now + Self.reapInterval) }
                return next
            }
            if main == .running && stop == .notAsked { atMost(deadline) }
            if case .terminated(let killAt) = stop { atMost(max(killAt, now)) }
            if repeatsKill && (stop == .killed || main != .running) { atMost(now + Self.sweepInterval) }
            if reapsOrphans { atMost(lastReap + Self.orphanReapInterval) }
            if pollingChild { atMost(now + Self.pollInterval) }
            return next
        }

        /// SIGKILL is repeated until nothing is left: only the kernel's
        /// namespace teardown and a group kill reach every process at once.
        private var repeatsKill: Bool { containment == .containerInit || containment == .processWalk }

        /// The agent reaps the job's orphans itself (they are reparented to it);
        /// in a PID namespace the init does.
        private var reapsOrphans: Bool { containment == .containerInit || containment == .processWalk }

        private mutating func pass(at now: Duration) -> [Action] {
            var actions: [Action] = []
            guard main == .running else {
                if reapsOrphans {
                    actions.append(.reapOrphans)
                    lastReap = now
                }
                return actions + killIfDue(at: now) + [.lookForLeftovers]
            }
            // Orphans the job leaves while it runs (double forks that exit)
            // are reaped ten times a second, so zombies do not pile up.
            if reapsOrphans && now - lastReap >= Self.orphanReapInterval {
                actions.append(.reapOrphans)
                lastReap = now
            }
            if now >= deadline && stop == .notAsked {
                timedOut = true
                actions += terminate(at: now)
            }
            return actions + killIfDue(at: now)
        }

        private mutating func looked(jobGone gone: Bool, outputOpen: Bool, at now: Duration) -> [Action] {
            guard case .ended(let termination, let ended) = main else { return [] }
            jobGone = gone
            if drainUntil == nil && gone { drainUntil = now + Self.drainLimit }
            guard let until = drainUntil, (!outputOpen && gone) || now >= until else { return [] }
            return [
                .finish(RunOutcome(termination: termination, timedOut: timedOut, cancelled: cancelled, duration: ended))
            ]
        }

        private mutating func childReaped(_ end: Termination, report: Termination?, at now: Duration) -> [Action] {
            guard main == .running else { return [] }
            guard containment == .pidNamespace else { return mainEnded(end, at: now) }
            // The init is gone, and with it every process of the namespace.
            if let report { return mainEnded(report, at: now) }
            // No report: the init was killed (the grace ran out, or the
            // agent's supervision gave up) and took the program with it.
            guard case .signaled = end else { return [.initEndedUnreported(end)] }
            return mainEnded(end, at: now)
        }

        /// The main process ended (or, in a PID namespace, was reported ended).
        private mutating func mainEnded(_ end: Termination, at now: Duration) -> [Action] {
            main = .ended(end, at: now)
            guard containment == .processGroup else {
                // Whatever of the job is left gets SIGTERM, then SIGKILL.
                return terminate(at: now)
            }
            // Leftovers of the job's process group (background jobs).
            drainUntil = now + Self.drainLimit
            return [.killAll]
        }

        /// SIGTERM to every process of the job; SIGKILL due after the grace.
        private mutating func terminate(at now: Duration) -> [Action] {
            guard stop == .notAsked else { return [] }
            stop = .terminated(killAt: now + grace)
            return [.terminateAll]
        }

        /// SIGKILL to every process of the job once due; repeated on every
        /// pass where the containment cannot kill them as one unit, so
        /// processes forked in the meantime die too.
        private mutating func killIfDue(at now: Duration) -> [Action] {
            switch stop {
            case .terminated(let killAt) where now >= killAt: break
            case .killed where repeatsKill: break
            default: return []
            }
            stop = .killed
            return [.killAll]
        }
    }
}
