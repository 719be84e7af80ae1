import AgentSystem
import ConfigKeys

extension GitCache {
    /// Applies ``requirements`` to a resolved commit, in the cache
    /// repository (locked by the caller): ancestry against `ancestorTip`
    /// (the branch as just fetched), then signatures. Returns `resolved`
    /// with what was verified.
    ///
    /// - Throws: ``SourceError`` `.refused` naming the rule, or
    ///   `.verificationFailed` when `ssh-keygen` or `gpgv` cannot be run.
    func verify(_ resolved: ResolvedRef, ancestorTip: ObjectID?, url: String, in repository: Repository)
        throws(SourceError) -> ResolvedRef
    {
        var verified = resolved
        guard let commit = ObjectID(hex: resolved.commit) else { return verified }
        let refText = resolved.refName ?? resolved.commit
        if let branch = requirements.ancestorOf, let tip = ancestorTip {
            let reachable: Bool
            do throws(GitFailure) { reachable = try repository.isReachable(commit, from: tip) } catch {
                throw cacheError(error, url: url, doing: "check whether \(commit.hex) is on \(branch) in")
            }
            guard reachable else {
                throw SourceError(
                    .refused,
                    "Commit \(commit.hex) (ref `\(refText)`) is not reachable from \(branch) (at \(tip.hex) in \(RepositoryURL.redacted(url)), as just fetched), and \(ConfigKey.policyRequireAncestorOf) requires it: only commits merged into \(branch) may run.",
                    rule: .policyRequireAncestorOf)
            }
            verified.ancestorTip = tip.hex
        }
        let objects = try SignaturePlan.objects(
            for: requirements.signatures, hasTag: resolved.tagObject != nil, ref: refText)
        guard !objects.isEmpty else { return verified }
        let verifier = SignatureVerifier(requirements)
        var reasons: [(VerifiedSignature.Object, String)] = []
        for object in objects {
            let signed: SignedPayload?
            do throws(GitFailure) {
                signed = try signedPayload(of: object, resolved: resolved, commit: commit, in: repository)
            } catch {
                throw cacheError(error, url: url, doing: "read the \(object.rawValue) signature of \(refText) in")
            }
            guard let signed else {
                reasons.append((object, "it is not signed"))
                continue
            }
            if object == .tag,
                let problem = SignaturePlan.tagNameProblem(SignedPayload.tagName(in: signed.payload), ref: refText)
            {
                reasons.append((object, problem))
                continue
            }
            switch try verifier.verify(signed, object: object) {
            case .verified(let signature):
                verified.signature = signature
                return verified
            case .refused(let reason):
                reasons.append((object, reason))
            }
        }
        throw SignaturePlan.refusal(commit: commit.hex, ref: refText, reasons: reasons)
    }

    private func signedPayload(
        of object: VerifiedSignature.Object, resolved: ResolvedRef, commit: ObjectID, in repository: Repository
    ) throws(GitFailure) -> SignedPayload? {
        switch object {
        case .commit:
            return SignedPayload(commit: try repository.rawObject(commit))
        case .tag:
            guard let hex = resolved.tagObject, let tag = ObjectID(hex: hex) else { return nil }
            return SignedPayload(tag: try repository.rawObject(tag))
        }
    }

    /// Refuses a tag the cache already knew at another commit
    /// (`policy.immutable_tags`), putting the known one back so later jobs
    /// see the move too. Where each tag was seen is also kept in a
    /// ``TagMemory`` beside the repository, which a rebuild does not remove;
    /// an accepted position (with the rule off too) becomes the one remembered.
    func checkTagNotMoved(
        _ name: String, previous: ObjectID?, now: ObjectID, url: String, in repository: Repository
    ) throws(SourceError) {
        guard name.hasPrefix("refs/tags/") else { return }
        let memory = TagMemory(path: repositoryPath(for: url) + ".tags")
        let after = try peelToCommit(now, name: name, url: url, in: repository).commit
        if requirements.immutableTags {
            var before = memory.commit(for: name)
            if before == nil, let previous, previous != now {
                before = try peelToCommit(previous, name: name, url: url, in: repository).commit
            }
            if let before, before != after {
                if let previous, previous != now {
                    do throws(GitFailure) { try repository.setReference(name, to: previous) } catch {
                        throw cacheError(error, url: url, doing: "restore \(name) in")
                    }
                }
                throw SourceError(
                    .refused,
                    "The tag \(name) moved: this cache ran it at commit \(before), and \(RepositoryURL.redacted(url)) now has it at commit \(after). Tags must not move (\(ConfigKey.policyImmutableTags)); if the move was intended, use a new tag, or forget the old position: delete the tag from the cache (git --git-dir=\(repositoryPath(for: url)) tag -d \(name.dropFirst("refs/tags/".count))) and its line in \(memory.path).",
                    rule: .policyImmutableTags)
            }
        }
        do throws(SystemError) { try memory.remember(name, at: after) } catch {
            throw SourceError(.cacheFailed, "Cannot record where the cache saw \(name): \(error).")
        }
    }

    /// Fetches `branch` (for `policy.require_ancestor_of`) and returns its tip as just fetched.
    func fetchAncestorBranch(_ branch: String, url: String) throws(SourceError) -> (tip: ObjectID, attempts: Int) {
        let (outcome, attempts) = try network(.names([branch]), describing: branch, url: url)
        guard let hex = outcome.advertised[branch], let advertised = ObjectID(hex: hex) else {
            throw missingAncestor(branch, url: url)
        }
        return (try localTip(branch, advertised: advertised, url: url), attempts)
    }

    /// The branch named by `policy.require_ancestor_of` does not exist: nothing can be vouched for.
    func missingAncestor(_ branch: String, url: String) -> SourceError {
        SourceError(
            .refused,
            "The branch \(branch) named by \(ConfigKey.policyRequireAncestorOf) does not exist in \(RepositoryURL.redacted(url)), so no commit can be checked against it. Fix \(ConfigKey.policyRequireAncestorOf).",
            rule: .policyRequireAncestorOf)
    }

    /// What `name` points to in the cache after a fetch, which must be what the server advertised.
    func localTip(_ name: String, advertised: ObjectID, url: String) throws(SourceError) -> ObjectID {
        guard let repository = try openRepository(for: url, create: false) else {
            throw SourceError(
                .cacheFailed, "The cache repository \(repositoryPath(for: url)) disappeared during the fetch.")
        }
        let local: ObjectID?
        do throws(GitFailure) { local = try repository.referenceTarget(name) } catch {
            throw cacheError(error, url: url, doing: "read \(name) in")
        }
        guard let local, local == advertised else {
            throw SourceError(
                .fetchFailed,
                "Fetching \(name) from \(RepositoryURL.redacted(url)) did not update it to the advertised \(advertised.hex)."
            )
        }
        return local
    }
}
