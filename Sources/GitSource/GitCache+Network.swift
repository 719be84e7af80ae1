import AgentSystem

extension GitCache {
    /// Runs one network session, retrying transient failures with
    /// exponential backoff and jitter. Returns the outcome and the number of attempts made.
    func network(_ want: FetchRequest.Want, describing what: String, url: String) throws(SourceError) -> (
        outcome: FetchOutcome, attempts: Int
    ) {
        let request = FetchRequest(
            repositoryPath: repositoryPath(for: url), url: url, want: want,
            timeoutMilliseconds: fetch.timeout.milliseconds, access: fetch.access, showProgress: fetch.showProgress)
        let attempts = max(1, fetch.attempts)
        for attempt in 1...attempts {
            if attempt > 1 {
                let delay = RetryPolicy.delay(
                    beforeAttempt: attempt, initial: fetch.initialBackoff, maximum: fetch.maximumBackoff,
                    jitter: Double.random(in: 0.5...1.0))
                if fetch.stop.wait(upTo: delay) { throw stopped(fetching: what, from: url) }
            }
            let outcome =
                fetch.worker.map { FetchWorker.run(request, executable: $0, stop: fetch.stop) }
                ?? FetchSession.run(request)
            guard let failure = outcome.failure else { return (outcome, attempt) }
            if fetch.stop.isRaised { throw stopped(fetching: what, from: url) }
            let prefix = "Cannot fetch \(what) from \(RepositoryURL.redacted(url))"
            if failure.cacheDamaged {
                throw SourceError(.cacheDamaged, "\(prefix): the cache repository is damaged: \(failure.message).")
            }
            let transient = RetryPolicy.isTransient(failure)
            if transient && attempt < attempts {
                Self.note(
                    "fetch attempt \(attempt) of \(attempts) from \(RepositoryURL.redacted(url)) failed (\(failure.message)); retrying"
                )
                continue
            }
            let tries = attempt == 1 ? "" : " (after \(attempt) attempts)"
            let kind = transient ? "" : (attempts > 1 ? "; not retried: this failure is permanent" : "")
            throw SourceError(.fetchFailed, "\(prefix)\(tries): \(failure.message)\(kind).")
        }
        throw SourceError(.fetchFailed, "Cannot fetch \(what) from \(RepositoryURL.redacted(url)).")
    }

    private func stopped(fetching what: String, from url: String) -> SourceError {
        SourceError(
            .cancelled,
            "The agent was told to stop while fetching \(what) from \(RepositoryURL.redacted(url)); the fetch was stopped and nothing ran."
        )
    }
}
