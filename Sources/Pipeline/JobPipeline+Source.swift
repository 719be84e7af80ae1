import AgentConfig
import AgentSystem
import ConfigKeys
import GitSource
import Launch
import Policy
import Report

extension JobPipeline {
    /// The cache as configured: fetch limits, credentials (read now, before
    /// any privilege drop) and the lock timeout. Each fetch attempt runs in
    /// `sf-agent fetch-worker`, a child that is killed at the deadline.
    func gitCache() throws(JobError) -> GitCache {
        let settings = configuration.source
        let access: GitAccess
        do {
            access = try GitAccess.load(
                tokenFile: settings.tokenFile, sshKeyFile: settings.sshKeyFile,
                sshKnownHosts: settings.sshKnownHosts, caFile: settings.caFile)
        } catch {
            throw JobError(error)
        }
        let fetch = FetchSettings(
            timeout: settings.fetchTimeout, attempts: settings.fetchAttempts, access: access,
            showProgress: true, worker: "/proc/self/exe", stop: StopNotice(descriptor: AgentSignals.wakeDescriptor))
        let requirements = RefRequirements(
            ancestorOf: settings.requireAncestorOf,
            signatures: RefRequirements.Signatures(settings.verifySignatures),
            allowedSigners: settings.allowedSigners, gpgKeyring: settings.gpgKeyring,
            immutableTags: settings.immutableTags)
        return GitCache(
            directory: configuration.cacheDirectory, fetch: fetch, lockTimeout: settings.lockTimeout,
            requirements: requirements)
    }

    /// Source: resolves `decision.ref` in the cache (fetching only if
    /// needed), verifies it and checks it out read-only; returns what
    /// `result.json` says about it.
    func fetchSource(_ decision: PolicyDecision) throws(JobError) -> FetchedSource {
        let cache = try gitCache()
        let gitRef: GitRef
        do { gitRef = try GitRef(parsing: decision.ref) } catch { throw JobError(error) }
        let start = ContinuousClock.now
        let prepared: (resolved: ResolvedRef, checkout: Checkout)
        do {
            prepared = try cache.prepare(url: configuration.repository.url, ref: gitRef)
        } catch {
            throw JobError(error)
        }
        let total = (ContinuousClock.now - start).milliseconds
        var passed =
            decision.passedRules + Self.verificationSentences(prepared.resolved, settings: configuration.source)
        do {
            try CommitPin.check(
                expected: decision.expectedCommit, resolved: prepared.resolved.commit, ref: decision.ref)
        } catch {
            throw JobError(error)
        }
        if prepared.resolved.committedAt == nil {
            AgentLog.warning(
                "the committer time of \(prepared.resolved.commit) is unknown (its checkout predates this agent and the repository is gone): "
                    + "SOURCE_DATE_EPOCH is not set and the artifacts are archived as the job left them. Remove the checkout from the cache to fix it."
            )
        }
        if decision.expectedCommit != nil {
            passed.append(
                "\(CommitPin.rule): ref `\(decision.ref)` resolved to the expected commit \(prepared.resolved.commit)")
        }
        var record = JobResult.Source(
            refName: prepared.resolved.refName, tag: prepared.resolved.tagObject, fetched: prepared.resolved.fetched,
            attempts: prepared.resolved.attempts, rebuilt: prepared.resolved.rebuilt || prepared.checkout.repaired,
            checkoutReused: prepared.checkout.reused, signature: Self.signature(prepared.resolved.signature))
        record.submodules = FileSystem.exists(Path.join(prepared.checkout.path, ".gitmodules"))
        record.rulesPassed = passed
        let checkoutMilliseconds = prepared.checkout.duration.milliseconds
        return FetchedSource(
            ref: decision.ref, resolved: prepared.resolved, checkout: prepared.checkout, passedRules: passed,
            record: record,
            fetchMilliseconds: max(0, total - checkoutMilliseconds), checkoutMilliseconds: checkoutMilliseconds)
    }

    /// Submodules are never fetched: a commit that declares some runs with a
    /// notice, or is refused with `repo.submodules = refuse`.
    func checkSubmodules(_ source: FetchedSource) throws(JobError) {
        guard source.record.submodules else { return }
        switch configuration.source.submodules {
        case .refuse:
            throw JobError(
                .policyViolation,
                "Commit \(source.resolved.commit) declares submodules (.gitmodules), and \(ConfigKey.repoSubmodules) is refuse; submodules are never fetched.",
                rule: .key(.repoSubmodules))
        case .notice:
            AgentLog.warning(
                "commit \(source.resolved.commit) declares submodules (.gitmodules); they are not fetched, so their folders are empty."
            )
        }
    }

    /// The verified signature as `result.json` records it.
    static func signature(_ verified: VerifiedSignature?) -> JobResult.Source.Signature? {
        verified.map {
            JobResult.Source.Signature(
                object: $0.object.rawValue, format: $0.format.rawValue, signer: $0.signer, key: $0.key)
        }
    }

    /// What the ref verification rules found, as `rules_passed` sentences.
    static func verificationSentences(_ resolved: ResolvedRef, settings: SourceSettings) -> [String] {
        var sentences: [String] = []
        if let branch = settings.requireAncestorOf, let tip = resolved.ancestorTip {
            sentences.append(
                "\(ConfigKey.policyRequireAncestorOf): commit \(resolved.commit) is reachable from \(branch) (at \(tip), as just fetched)"
            )
        }
        if let signature = resolved.signature {
            let object = signature.object == .tag ? "tag \(resolved.refName ?? "")" : "commit"
            sentences.append(
                "\(ConfigKey.policyVerifySignatures) (\(settings.verifySignatures.rawValue)): the \(object) is signed by \(signature.signer) (\(signature.format.rawValue) key \(signature.key))"
            )
        }
        if settings.immutableTags, let name = resolved.refName, name.hasPrefix("refs/tags/") {
            sentences.append("\(ConfigKey.policyImmutableTags): this cache knows \(name) at no other commit")
        }
        return sentences
    }
}
