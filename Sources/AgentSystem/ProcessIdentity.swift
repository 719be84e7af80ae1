/// Who the agent runs as.
///
/// ```swift
/// if ProcessIdentity.isRoot { … }   // the job runs as run.user
/// ProcessIdentity.effectiveUserID   // 10001
/// ```
package enum ProcessIdentity {
    /// The agent's process id.
    package static var processID: Int32 { system_getpid() }

    /// The effective uid.
    package static var effectiveUserID: UInt32 { system_geteuid() }

    /// The effective gid.
    package static var effectiveGroupID: UInt32 { system_getegid() }

    /// Whether the effective uid is 0.
    package static var isRoot: Bool { effectiveUserID == 0 }
}
