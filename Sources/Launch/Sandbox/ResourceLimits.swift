#if canImport(Glibc)
import Glibc
#endif

/// The job's resource limits; nil means unlimited. Set in the child after
/// the uid change, soft and hard alike (CPU: hard 5 s above soft, so the
/// job gets `SIGXCPU` before `SIGKILL`), never above the agent's own hard
/// limit. Core dumps are always off.
///
/// ```swift
/// let limits = ResourceLimits(cpuSeconds: 3600, memoryBytes: 8 << 30, processes: 512,
///                             openFiles: 1024, fileBytes: 8 << 30)
/// limits.effective().processes   // 512, or less if the agent's own hard limit is lower
/// ```
package struct ResourceLimits: Sendable, Equatable {
    /// `RLIMIT_CPU`, seconds of CPU time per process.
    package var cpuSeconds: UInt64?
    /// `RLIMIT_AS`, bytes of address space per process.
    package var memoryBytes: UInt64?
    /// `RLIMIT_NPROC`: processes (and threads) of the job's real uid, all of
    /// them on the machine, not only the job's. Only meaningful when the job
    /// has a uid of its own (the root-and-drop mode).
    package var processes: UInt64?
    /// `RLIMIT_NOFILE`, open descriptors per process.
    package var openFiles: UInt64?
    /// `RLIMIT_FSIZE`, the largest file a process may write.
    package var fileBytes: UInt64?

    package init(
        cpuSeconds: UInt64? = nil, memoryBytes: UInt64? = nil, processes: UInt64? = nil,
        openFiles: UInt64? = nil, fileBytes: UInt64? = nil
    ) {
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.openFiles = openFiles
        self.fileBytes = fileBytes
    }

    /// How far the CPU hard limit lies above the soft one.
    static let cpuHardMargin: UInt64 = 5

    /// The limits as they will apply: each lowered to the agent's own hard
    /// limit when that is lower (an unlimited setting becomes that limit).
    package func effective(ceiling: (Int32) -> UInt64? = Self.currentHardLimit) -> ResourceLimits {
        func clamp(_ value: UInt64?, _ resource: Int32) -> UInt64? {
            guard let ceiling = ceiling(resource) else { return value }
            return min(value ?? ceiling, ceiling)
        }
        return ResourceLimits(
            cpuSeconds: clamp(cpuSeconds, Self.cpu), memoryBytes: clamp(memoryBytes, Self.addressSpace),
            processes: clamp(processes, Self.processCount), openFiles: clamp(openFiles, Self.descriptors),
            fileBytes: clamp(fileBytes, Self.fileSize))
    }

    /// `(resource, soft, hard)` for the child; `UInt64.max` is unlimited.
    /// Call on ``effective(ceiling:)``'s result.
    func settings(ceiling: (Int32) -> UInt64? = Self.currentHardLimit) -> [(
        resource: Int32, soft: UInt64, hard: UInt64
    )] {
        var settings: [(resource: Int32, soft: UInt64, hard: UInt64)] = []
        if let cpuSeconds {
            let (sum, overflow) = cpuSeconds.addingReportingOverflow(Self.cpuHardMargin)
            let hard = min(overflow ? UInt64.max - 1 : sum, ceiling(Self.cpu) ?? UInt64.max - 1)
            settings.append((Self.cpu, cpuSeconds, max(hard, cpuSeconds)))
        }
        for (value, resource) in [
            (memoryBytes, Self.addressSpace), (processes, Self.processCount), (openFiles, Self.descriptors),
            (fileBytes, Self.fileSize),
        ] {
            if let value { settings.append((resource, value, value)) }
        }
        return settings
    }

    static let cpu = Int32(RLIMIT_CPU.rawValue)
    static let addressSpace = Int32(RLIMIT_AS.rawValue)
    static let processCount = Int32(__RLIMIT_NPROC.rawValue)
    static let descriptors = Int32(RLIMIT_NOFILE.rawValue)
    static let fileSize = Int32(RLIMIT_FSIZE.rawValue)

    /// The agent's hard limit for `resource`, nil when unlimited.
    package static func currentHardLimit(_ resource: Int32) -> UInt64? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0, limit.rlim_max != rlim_t.max
        else { return nil }
        return UInt64(limit.rlim_max)
    }
}
