import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Trait where Self == ConditionTrait {
    /// A test (or suite) that needs root: it switches users, makes users'
    /// files, mounts, or runs the agent, which drops to `run.user`. Skipped,
    /// saying why, anywhere else; `make test` and CI run as root.
    package static var requiresRoot: Self {
        .enabled(
            if: geteuid() == 0,
            "needs root (it switches users, owns files for them or mounts): run the suite as root, as make test does")
    }
}
