extension JobResult {
    /// The result with `mask` applied to every free text a secret could
    /// reach: the repository, ref, script path, argv, the artifact paths it
    /// lists (skipped, unreadable, holding a secret) and the error message. Identifiers the agent checked (job id, commit,
    /// digests) are left as they are.
    ///
    /// ```swift
    /// let safe = result.masked { masker.mask($0) }
    /// ```
    package func masked(_ mask: (String) -> String) -> JobResult {
        var copy = self
        copy.scriptID = scriptID.map(mask)
        copy.repository = repository.map(mask)
        copy.ref = ref.map(mask)
        copy.script?.path = mask(script?.path ?? "")
        copy.argv = argv?.map(mask)
        copy.artifacts?.skipped = artifacts?.skipped.map(mask) ?? []
        copy.artifacts?.secretFiles = artifacts?.secretFiles.map(mask) ?? []
        copy.artifacts?.unreadable = (artifacts?.unreadable ?? []).map {
            .init(path: mask($0.path), reason: mask($0.reason))
        }
        copy.error?.message = mask(error?.message ?? "")
        if let reproducibility {
            copy.reproducibility?.parameters = mask(reproducibility.parameters)
            copy.reproducibility?.configuration = ShapingConfiguration(
                values: reproducibility.configuration.values.mapValues(mask))
        }
        return copy
    }
}
