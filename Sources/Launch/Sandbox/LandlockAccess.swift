/// Landlock file-system access rights, as the kernel numbers them.
///
/// ```swift
/// LandlockAccess.handled(abi: 3).contains(.truncate)   // true
/// LandlockAccess.handled(abi: 2).contains(.truncate)   // false: ABI 3 added it
/// ```
public struct LandlockAccess: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let execute = LandlockAccess(rawValue: 1 << 0)
    public static let writeFile = LandlockAccess(rawValue: 1 << 1)
    public static let readFile = LandlockAccess(rawValue: 1 << 2)
    public static let readDir = LandlockAccess(rawValue: 1 << 3)
    public static let removeDir = LandlockAccess(rawValue: 1 << 4)
    public static let removeFile = LandlockAccess(rawValue: 1 << 5)
    public static let makeChar = LandlockAccess(rawValue: 1 << 6)
    public static let makeDir = LandlockAccess(rawValue: 1 << 7)
    public static let makeReg = LandlockAccess(rawValue: 1 << 8)
    public static let makeSock = LandlockAccess(rawValue: 1 << 9)
    public static let makeFifo = LandlockAccess(rawValue: 1 << 10)
    public static let makeBlock = LandlockAccess(rawValue: 1 << 11)
    public static let makeSym = LandlockAccess(rawValue: 1 << 12)
    /// ABI 2: link or rename a file into another directory.
    public static let refer = LandlockAccess(rawValue: 1 << 13)
    /// ABI 3: truncate(2), ftruncate(2), open with O_TRUNC.
    public static let truncate = LandlockAccess(rawValue: 1 << 14)
    /// ABI 5: ioctl on character and block devices.
    public static let ioctlDev = LandlockAccess(rawValue: 1 << 15)

    /// The rights that apply to a file that is not a directory (a rule on
    /// such a file may grant only these).
    public static let fileRights: LandlockAccess = [.execute, .writeFile, .readFile, .truncate, .ioctlDev]

    /// Read and execute: the checkout and the system paths.
    public static let readExecute: LandlockAccess = [.execute, .readFile, .readDir]

    /// Read, write, create, remove, rename, truncate (and execute what was
    /// written: the script runs arbitrary code anyway). No device nodes,
    /// no device ioctls.
    public static let readWrite: LandlockAccess = [
        .execute, .writeFile, .readFile, .readDir, .removeDir, .removeFile, .makeDir, .makeReg,
        .makeSock, .makeFifo, .makeSym, .refer, .truncate,
    ]

    /// A job's `/dev/shm`: POSIX shared memory and semaphores are files
    /// made, mapped, truncated and removed there; nothing is executed, and
    /// no socket, fifo or device is made.
    public static let sharedMemory: LandlockAccess = [
        .writeFile, .readFile, .readDir, .removeDir, .removeFile, .makeDir, .makeReg, .makeSym, .refer, .truncate,
    ]

    /// Every file-system right the kernel's Landlock `abi` knows: all of
    /// them are handled, so whatever no rule grants is denied.
    public static func handled(abi: Int) -> LandlockAccess {
        guard abi >= 1 else { return [] }
        var rights = LandlockAccess(rawValue: (1 << 13) - 1)
        if abi >= 2 { rights.insert(.refer) }
        if abi >= 3 { rights.insert(.truncate) }
        if abi >= 5 { rights.insert(.ioctlDev) }
        return rights
    }
}
