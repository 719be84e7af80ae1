import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

// The libc calls more than one module makes, each as `system_<name>` with
// libc's own arguments and result, so a module calls `system_open(path,
// flags)` where it called `open(path, flags)`. Each checks the calling
// thread's ``MockingDriver`` first (one thread-local load when mocking is
// off): with one installed the call is recorded, and a forced errno makes
// it fail as libc would without reaching libc. The typed helpers built on
// them (``FileSystem``, ``FileStatus``, ``ProcessIdentity``,
// ``UserDatabase``) are what most code should call.

// MARK: - Files

/// `open(2)`; `mode` matters with `O_CREAT`.
package func system_open(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("open", [String(cString: path), flags, mode]) { return -1 }
    return open(path, flags, mode)
}

/// `openat(2)`.
package func system_openat(_ directory: Int32, _ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t = 0)
    -> Int32
{
    if let driver = MockingDriver.current,
        driver.intercept("openat", [directory, String(cString: path), flags, mode])
    {
        return -1
    }
    return openat(directory, path, flags, mode)
}

/// `close(2)`. A forced failure still closes the descriptor, as Linux
/// does whatever `close` reports.
@discardableResult
package func system_close(_ fd: Int32) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("close", [fd]) {
        let forced = currentErrno()
        close(fd)
        Glibc.errno = forced
        return -1
    }
    return close(fd)
}

/// `read(2)`.
package func system_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    if let driver = MockingDriver.current, driver.intercept("read", [fd, count]) { return -1 }
    return read(fd, buffer, count)
}

/// `write(2)`.
package func system_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    if let driver = MockingDriver.current, driver.intercept("write", [fd, count]) { return -1 }
    return write(fd, buffer, count)
}

/// `pread(2)`.
package func system_pread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    if let driver = MockingDriver.current, driver.intercept("pread", [fd, count, offset]) { return -1 }
    return pread(fd, buffer, count, offset)
}

/// `pwrite(2)`.
package func system_pwrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    if let driver = MockingDriver.current, driver.intercept("pwrite", [fd, count, offset]) { return -1 }
    return pwrite(fd, buffer, count, offset)
}

/// `fcntl(2)` with an integer argument.
package func system_fcntl(_ fd: Int32, _ command: Int32, _ argument: Int32 = 0) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("fcntl", [fd, command, argument]) { return -1 }
    return fcntl(fd, command, argument)
}

/// `flock(2)`.
package func system_flock(_ fd: Int32, _ operation: Int32) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("flock", [fd, operation]) { return -1 }
    return flock(fd, operation)
}

/// `fchmod(2)`.
@discardableResult
package func system_fchmod(_ fd: Int32, _ mode: mode_t) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("fchmod", [fd, mode]) { return -1 }
    return fchmod(fd, mode)
}

/// `isatty(3)`: 1 for a terminal, else 0 with errno set.
package func system_isatty(_ fd: Int32) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("isatty", [fd]) { return 0 }
    return isatty(fd)
}

/// `poll(2)`.
package func system_poll(_ fds: UnsafeMutablePointer<pollfd>, _ count: nfds_t, _ timeout: Int32) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("poll", [Int(count), timeout]) { return -1 }
    return poll(fds, count, timeout)
}

// MARK: - Paths

/// `stat(2)`: follows symbolic links.
package func system_stat(_ path: UnsafePointer<CChar>, _ info: UnsafeMutablePointer<stat>) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("stat", [String(cString: path)]) { return -1 }
    return stat(path, info)
}

/// `lstat(2)`: a symbolic link itself.
package func system_lstat(_ path: UnsafePointer<CChar>, _ info: UnsafeMutablePointer<stat>) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("lstat", [String(cString: path)]) { return -1 }
    return lstat(path, info)
}

/// `fstat(2)`.
package func system_fstat(_ fd: Int32, _ info: UnsafeMutablePointer<stat>) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("fstat", [fd]) { return -1 }
    return fstat(fd, info)
}

/// `access(2)`.
package func system_access(_ path: UnsafePointer<CChar>, _ mode: Int32) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("access", [String(cString: path), mode]) { return -1 }
    return access(path, mode)
}

/// `mkdir(2)`.
package func system_mkdir(_ path: UnsafePointer<CChar>, _ mode: mode_t) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("mkdir", [String(cString: path), mode]) { return -1 }
    return mkdir(path, mode)
}

/// `unlink(2)`.
@discardableResult
package func system_unlink(_ path: UnsafePointer<CChar>) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("unlink", [String(cString: path)]) { return -1 }
    return unlink(path)
}

/// `rename(2)`.
package func system_rename(_ from: UnsafePointer<CChar>, _ to: UnsafePointer<CChar>) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("rename", [String(cString: from), String(cString: to)]) {
        return -1
    }
    return rename(from, to)
}

/// `realpath(3)` allocating its result: free it with ``system_free(_:)``.
package func system_realpath(_ path: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    if let driver = MockingDriver.current, driver.intercept("realpath", [String(cString: path)]) { return nil }
    return realpath(path, nil)
}

// MARK: - Processes

/// `getpid(2)`; never fails, so the driver only records it.
package func system_getpid() -> pid_t {
    MockingDriver.current?.record("getpid", [])
    return getpid()
}

/// `geteuid(2)`; never fails, so the driver only records it.
package func system_geteuid() -> uid_t {
    MockingDriver.current?.record("geteuid", [])
    return geteuid()
}

/// `getegid(2)`; never fails, so the driver only records it.
package func system_getegid() -> gid_t {
    MockingDriver.current?.record("getegid", [])
    return getegid()
}

/// `kill(2)`.
@discardableResult
package func system_kill(_ pid: pid_t, _ signal: Int32) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("kill", [pid, signal]) { return -1 }
    return kill(pid, signal)
}

/// `waitpid(2)`.
package func system_waitpid(_ pid: pid_t, _ status: UnsafeMutablePointer<Int32>?, _ options: Int32) -> pid_t {
    if let driver = MockingDriver.current, driver.intercept("waitpid", [pid, options]) { return -1 }
    return waitpid(pid, status, options)
}

/// `signal(2)`: the previous disposition, or `SIG_ERR`.
@discardableResult
package func system_signal(_ signal: Int32, _ handler: __sighandler_t?) -> __sighandler_t? {
    if let driver = MockingDriver.current, driver.intercept("signal", [signal]) { return SIG_ERR }
    return Glibc.signal(signal, handler)
}

/// `usleep(3)`.
@discardableResult
package func system_usleep(_ microseconds: useconds_t) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("usleep", [microseconds]) { return -1 }
    return usleep(microseconds)
}

/// `sysconf(3)`.
package func system_sysconf(_ name: Int32) -> Int {
    if let driver = MockingDriver.current, driver.intercept("sysconf", [name]) { return -1 }
    return sysconf(name)
}

// MARK: - Users and groups

/// `getpwuid_r(3)`: 0 or the error number (not errno); `result` nil when there is no such user.
package func system_getpwuid_r(
    _ uid: uid_t, _ entry: UnsafeMutablePointer<passwd>, _ buffer: UnsafeMutablePointer<CChar>, _ size: Int,
    _ result: UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>
) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("getpwuid_r", [uid, size]) {
        result.pointee = nil
        return currentErrno()
    }
    return getpwuid_r(uid, entry, buffer, size, result)
}

/// `getpwnam_r(3)`: 0 or the error number (not errno); `result` nil when there is no such user.
package func system_getpwnam_r(
    _ name: UnsafePointer<CChar>, _ entry: UnsafeMutablePointer<passwd>, _ buffer: UnsafeMutablePointer<CChar>,
    _ size: Int, _ result: UnsafeMutablePointer<UnsafeMutablePointer<passwd>?>
) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("getpwnam_r", [String(cString: name), size]) {
        result.pointee = nil
        return currentErrno()
    }
    return getpwnam_r(name, entry, buffer, size, result)
}

/// `getgrgid_r(3)`: 0 or the error number (not errno); `result` nil when there is no such group.
package func system_getgrgid_r(
    _ gid: gid_t, _ entry: UnsafeMutablePointer<group>, _ buffer: UnsafeMutablePointer<CChar>, _ size: Int,
    _ result: UnsafeMutablePointer<UnsafeMutablePointer<group>?>
) -> Int32 {
    if let driver = MockingDriver.current, driver.intercept("getgrgid_r", [gid, size]) {
        result.pointee = nil
        return currentErrno()
    }
    return getgrgid_r(gid, entry, buffer, size, result)
}

// MARK: - Strings and memory

/// `fnmatch(3)`: 0 for a match. Never sets errno, so the driver only records it.
package func system_fnmatch(_ pattern: UnsafePointer<CChar>, _ string: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
    MockingDriver.current?.record("fnmatch", [String(cString: pattern), String(cString: string), flags])
    return fnmatch(pattern, string, flags)
}

/// `strdup(3)`: a copy to free with ``system_free(_:)``, or nil (ENOMEM).
package func system_strdup(_ string: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    if let driver = MockingDriver.current, driver.intercept("strdup", [String(cString: string)]) { return nil }
    return strdup(string)
}

/// `free(3)`; the driver only records it.
package func system_free(_ pointer: UnsafeMutableRawPointer?) {
    MockingDriver.current?.record("free", [])
    free(pointer)
}
