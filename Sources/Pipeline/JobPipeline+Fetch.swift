import GitSource
import Launch
import Report
import Secrets

/// What `sf-agent fetch` prepared: the verified, read-only checkout of the
/// configured ref in the cache, and (when a script was named) the script in it.
package struct FetchedSource: Sendable {
    /// The ref as requested (configured or `SCRIPTS_REF`).
    package var ref: String
    package var resolved: ResolvedRef
    package var checkout: Checkout
    /// The script `SCRIPT_ID` names, when one was given.
    package var script: ResolvedScript?
    /// The rules checked and passed.
    package var passedRules: [String]
    /// `result.json`'s `source`: how the commit was obtained and verified.
    package var record: JobResult.Source
    /// Milliseconds spent resolving (and fetching) the ref, and checking it out.
    package var fetchMilliseconds: Int
    package var checkoutMilliseconds: Int

    init(
        ref: String, resolved: ResolvedRef, checkout: Checkout, script: ResolvedScript? = nil, passedRules: [String],
        record: JobResult.Source, fetchMilliseconds: Int, checkoutMilliseconds: Int
    ) {
        self.ref = ref
        self.resolved = resolved
        self.checkout = checkout
        self.script = script
        self.passedRules = passedRules
        self.record = record
        self.fetchMilliseconds = fetchMilliseconds
        self.checkoutMilliseconds = checkoutMilliseconds
    }

    /// One fact per line: ref, commit, checkout path, script, rules passed.
    package func rendered() -> String {
        var refLine = "\(ref) -> \(resolved.commit)"
        if let tag = resolved.tagObject { refLine += " (annotated tag \(tag))" }
        refLine += resolved.fetched ? "" : " (from cache, no fetch)"
        var lines = ["ref          \(refLine)", "commit       \(resolved.commit)", "checkout     \(checkout.path)"]
        if let script { lines.append("script       \(script.relativePath)") }
        lines += passedRules.map { "rule passed  \($0)" }
        return lines.joined(separator: "\n")
    }
}

extension JobPipeline {
    /// Everything `run` does up to the verified read-only checkout, then
    /// stops: policy on the repository and ref (and on the script, when
    /// `scriptID` is given), fetch or clone into the cache, verification,
    /// checkout, and the script's resolution inside it. Writes no job
    /// folder; for an init container, or to warm a cache in an image build.
    /// With `expectedCommit` (`SCRIPTS_COMMIT`), the ref must resolve to it.
    ///
    /// ```swift
    /// let fetched = try pipeline.fetchSource(scriptID: nil, requestedRef: nil)
    /// print(fetched.checkout.path)
    /// ```
    package func fetchSource(scriptID: String?, requestedRef: String?, expectedCommit: String? = nil) throws(JobError)
        -> FetchedSource
    {
        let masker = JobSecrets.credentialsOnly(configuration).masker
        do {
            var decision = try checkPolicy(scriptID: scriptID, requestedRef: requestedRef)
            decision.expectedCommit = expectedCommit
            var source = try fetchSource(decision)
            try checkSubmodules(source)
            try checkStop()
            source.script = try scriptID.map { (id) throws(JobError) in try resolveScript(id, in: source.checkout) }
            return source
        } catch {
            throw JobError(error.code, masker.mask(error.message), rule: error.rule)
        }
    }
}
