#if canImport(Glibc)
import Glibc
#endif

/// What the agent knows of the machine it runs on.
///
/// ```swift
/// Machine.onlineProcessors   // 8
/// ```
package enum Machine {
    /// The CPUs online now (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    package static var onlineProcessors: Int { max(1, system_sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
