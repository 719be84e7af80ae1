/// Landlock file-system access rights, as the kernel numbers them.
///
/// ```swift
/// LandlockAccess.handled(abi: 3).contains(.truncate)   // true
/// LandlockAccess.handled(abi: 2).contains(.truncate)   // false: ABI 3 added it
/// ```
package struct LandlockAccess: OptionSet, Sendable, Hashable {
    package let rawValue: UInt64
    package init(rawValue: UInt64) { self.rawValue = rawValue }

    package static let execute = LandlockAccess(rawValue: 1 << 0)
    package static let writeFile = LandlockAccess(rawValue: 1 << 1)
    package static let readFile = LandlockAccess(rawValue: 1 << 2)
    package static let readDir = LandlockAccess(rawValue: 1 << 3)
    package static let removeDir = LandlockAccess(rawValue: 1 << 4)
    package static let removeFile = LandlockAccess(rawValue: 1 << 5)
    package static let makeChar = LandlockAccess(rawValue: 1 << 6)
    package static let makeDir = LandlockAccess(rawValue: 1 << 7)
    package static let makeReg = LandlockAccess(rawValue: 1 << 8)
    package static let makeSock = LandlockAccess(rawValue: 1 << 9)
    package static let makeFifo = LandlockAccess(rawValue: 1 << 10)
    package static let makeBlock = LandlockAccess(rawValue: 1 << 11)
    package static let makeSym = LandlockAccess(rawValue: 1 << 12)
    /// ABI 2: link or rename a file into another directory.
    package static let refer = LandlockAccess(rawValue: 1 << 13)
    /// ABI 3: truncate(2), ftruncate(2), open with O_TRUNC.
    package static let truncate = LandlockAccess(rawValue: 1 << 14)
    /// ABI 5: ioctl on character and block devices.
    package static let ioctlDev = LandlockAccess(rawValue: 1 << 15)

    /// The rights that apply to a file that is not a directory (a rule on
    /// such a file may grant only these).
    package static let fileRights: LandlockAccess = [.execute, .writeFile, .readFile, .truncate, .ioctlDev]

    /// Read and execute: the checkout and the system paths.
    package static let readExecute: LandlockAccess = [.execute, .readFile, .readDir]

    /// Read, write, create, remove, rename, truncate (and execute what was
    /// written: the script runs arbitrary code anyway). No device nodes,
    /// no device ioctls.
    package static let readWrite: LandlockAccess = [
        .execute, .writeFile, .readFile, .readDir, .removeDir, .removeFile, .makeDir, .makeReg,
        .makeSock, .makeFifo, .makeSym, .refer, .truncate,
    ]

    /// A job's `/dev/shm`: POSIX shared memory and semaphores are files
    /// made, mapped, truncated and removed there; nothing is executed, and
    /// no socket, fifo or device is made.
    package static let sharedMemory: LandlockAccess = [
        .writeFile, .readFile, .readDir, .removeDir, .removeFile, .makeDir, .makeReg, .makeSym, .refer, .truncate,
    ]

    /// Every file-system right the kernel's Landlock `abi` knows: all of
    /// them are handled, so whatever no rule grants is denied.
    package static func handled(abi: Int) -> LandlockAccess {
        guard abi >= 1 else { return [] }
        var rights = LandlockAccess(rawValue: (1 << 13) - 1)
        if abi >= 2 { rights.insert(.refer) }
        if abi >= 3 { rights.insert(.truncate) }
        if abi >= 5 { rights.insert(.ioctlDev) }
        return rights
    }
}
