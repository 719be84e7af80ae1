import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Keeps the agent's memory its own. The agent holds credentials
/// (`repo.token_file`, `report.token_file`) and every secret of
/// `secrets.dir`; a non-root agent's script runs as the same uid.
package enum ProcessPrivacy {
    /// Makes this process non-dumpable (`prctl(PR_SET_DUMPABLE, 0)`): no
    /// core dump, and its `/proc/<pid>/mem`, `environ`, `fd` and ptrace are
    /// refused to any process without CAP_SYS_PTRACE, the same uid
    /// included, with or without Landlock. What the agent starts gets the
    /// default back at `execve`.
    ///
    /// ```swift
    /// try ProcessPrivacy.forbidInspection()
    /// ```
    package static func forbidInspection() throws(SystemError) {
        guard sf_set_not_dumpable() == 0 else { throw SystemError.last("prctl(PR_SET_DUMPABLE, 0)") }
    }
}
