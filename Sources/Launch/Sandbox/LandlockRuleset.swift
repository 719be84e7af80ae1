import AgentSystem
import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// A Landlock ruleset built in the agent before `fork`: the child only
/// calls `landlock_restrict_self` on it. Closed on deinit.
///
/// ```swift
/// let ruleset = try LandlockRuleset.of(plan.sandbox)   // nil without Landlock
/// try archiver.archive(directory: artifacts, into: output, landlockRuleset: ruleset?.descriptor)
/// ```
package final class LandlockRuleset {
    /// The ruleset's descriptor (close-on-exec), valid while the ruleset lives.
    package let descriptor: Int32
    /// The rights the rules give `/proc` itself, for the `/proc` a PID
    /// namespace mounts over it (a rule on a hidden mount point does not
    /// reach the mount above it).
    private(set) var procAccess = LandlockAccess()
    /// Every right the ruleset handles.
    let handled: LandlockAccess

    /// The job's ruleset, as its launch builds it, for another process that
    /// must have exactly the job's file-system rights (the artifacts
    /// reader); `nil` when `sandbox` applies no Landlock.
    package static func of(_ sandbox: SandboxPlan) throws(LaunchError) -> LandlockRuleset? {
        guard sandbox.landlockABI > 0 else { return nil }
        return try LandlockRuleset(abi: sandbox.landlockABI, rules: sandbox.rules, denyTCP: sandbox.landlockDeniesTCP)
    }

    /// Handles every file-system right of `abi`; with `denyTCP` (ABI 4 and
    /// later) TCP bind and connect too, with no port allowed; from ABI 6
    /// scopes signals and abstract unix sockets to the job. Then adds
    /// `rules`, skipping paths that do not exist.
    init(abi: Int, rules: [LandlockRule], denyTCP: Bool) throws(LaunchError) {
        let handled = LandlockAccess.handled(abi: abi)
        self.handled = handled
        let network: UInt64 = abi >= 4 && denyTCP ? 0b11 : 0
        let scoped: UInt64 = abi >= 6 ? 0b11 : 0
        let fd = sf_landlock_create_ruleset(handled.rawValue, network, scoped, Int32(abi))
        guard fd >= 0 else {
            throw LaunchError(
                .setupFailed, cannot: "create the Landlock ruleset", step: "landlock_create_ruleset",
                errno: currentErrno())
        }
        descriptor = fd
        for rule in rules {
            try add(rule, handled: handled)
        }
    }

    deinit { system_close(descriptor) }

    private func add(_ rule: LandlockRule, handled: LandlockAccess) throws(LaunchError) {
        let path = sf_open_path(rule.path)
        guard path >= 0 else {
            let error = currentErrno()
            if error == ENOENT || error == ENOTDIR { return }
            throw LaunchError(
                .setupFailed, cannot: "open \(rule.path) for the Landlock ruleset", step: "open", errno: error)
        }
        defer { system_close(path) }
        var info = stat()
        guard system_fstat(path, &info) == 0 else {
            throw LaunchError(
                .setupFailed, cannot: "inspect \(rule.path) for the Landlock ruleset", step: "fstat",
                errno: currentErrno())
        }
        var access = rule.access.intersection(handled)
        if (info.st_mode & S_IFMT) != S_IFDIR { access.formIntersection(.fileRights) }
        guard !access.isEmpty else { return }
        if LandlockRules.normalized(rule.path) == "/proc" { procAccess.formUnion(access) }
        guard sf_landlock_add_path(descriptor, path, access.rawValue) == 0 else {
            throw LaunchError(
                .setupFailed, cannot: "add \(rule.path) to the Landlock ruleset", step: "landlock_add_rule",
                errno: currentErrno())
        }
    }
}

extension LandlockRules {
    /// The entries of `directory` that are not symlinks, or nil when it
    /// cannot be listed: the lister ``make(readPaths:readOnly:writable:excluded:entries:)``
    /// uses outside tests.
    package static func directoryEntries(_ directory: String) -> [String]? {
        guard let names = try? FileSystem.directoryEntries(directory) else { return nil }
        return names.filter { name in
            var info = stat()
            return system_lstat(directory == "/" ? "/" + name : directory + "/" + name, &info) == 0
                && (info.st_mode & S_IFMT) != S_IFLNK
        }
    }
}
