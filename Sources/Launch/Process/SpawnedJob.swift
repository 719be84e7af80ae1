#if canImport(Glibc)
import Glibc
#endif

/// What a launch started: the agent's child and, in a PID namespace, where
/// its init reports the program's end.
struct SpawnedJob {
    /// The agent's child: the program, or the PID namespace's init.
    let pid: pid_t
    /// In a PID namespace: the non-blocking read end on which the init
    /// writes the program's wait status (4 bytes) when it ends. Owned by
    /// the watch that reads it.
    let statusDescriptor: Int32?
}
