import CAgentSupport

#if canImport(Glibc)
import Glibc
#endif

/// Intercepts the `system_*` wrappers of `Syscalls.swift` on the calling
/// thread, for tests: records each call with its arguments, and makes
/// chosen calls fail with a chosen errno (a full disk, an I/O error, an
/// interrupted read) without reaching libc.
///
/// Installed per thread for the duration of a closure, so tests running in
/// parallel never see each other's driver; work the code under test hands
/// to another thread is not intercepted. Always compiled in: with no driver
/// installed a wrapper costs one thread-local load.
///
/// ```swift
/// MockingDriver.withMockingEnabled { driver in
///     driver.forceErrno(EIO, on: ["read"])
///     let result = Result { try FileSystem.readFile("/etc/hostname") }
///     // cannot read /etc/hostname: Input/output error
///     driver.trace.map(\.name)   // ["open", "read", "close"]
/// }
/// ```
package final class MockingDriver {
    /// One wrapped call: libc's name for it and its arguments (paths as
    /// `String`s, numbers as passed; buffers are left out).
    package struct Call: Equatable, CustomStringConvertible {
        package var name: String
        package var arguments: [AnyHashable]

        package init(_ name: String, _ arguments: AnyHashable...) {
            self.name = name
            self.arguments = arguments
        }

        init(name: String, arguments: [AnyHashable]) {
            self.name = name
            self.arguments = arguments
        }

        /// `open("/tmp/x", 524288, 0)`.
        package var description: String {
            let shown = arguments.map { $0.base is String ? "\"\($0)\"" : "\($0)" }
            return "\(name)(\(shown.joined(separator: ", ")))"
        }
    }

    /// Every wrapped call made on this thread while the driver was installed, in order, forced failures included.
    package private(set) var trace: [Call] = []

    private var forcedErrno: Int32 = 0
    private var forcedCalls: Set<String> = []
    private var forcedRemaining = 0

    private init() {}

    /// Makes the next `count` calls named in `calls` (any wrapped call when
    /// empty) fail with `errno`, as libc reports a failure (-1, nil), without
    /// reaching libc. Replaces what was forced before; `count` 0 stops forcing.
    package func forceErrno(_ errno: Int32, on calls: Set<String> = [], count: Int = 1) {
        forcedErrno = errno
        forcedCalls = calls
        forcedRemaining = count
    }

    /// Records a call that cannot fail.
    @inline(never)
    func record(_ name: String, _ arguments: [AnyHashable]) {
        trace.append(Call(name: name, arguments: arguments))
    }

    /// Records a call; true, with errno set, when it must fail.
    @inline(never)
    func intercept(_ name: String, _ arguments: [AnyHashable]) -> Bool {
        trace.append(Call(name: name, arguments: arguments))
        guard forcedRemaining > 0, forcedCalls.isEmpty || forcedCalls.contains(name) else { return false }
        forcedRemaining -= 1
        Glibc.errno = forcedErrno
        return true
    }

    /// The calling thread's driver; nil when mocking is off.
    static var current: MockingDriver? {
        @inline(__always) get {
            guard let raw = sf_mocking_driver() else { return nil }
            return Unmanaged<MockingDriver>.fromOpaque(raw).takeUnretainedValue()
        }
    }

    /// Runs `body` with a fresh driver installed on the calling thread, then
    /// puts back whatever was installed before.
    package static func withMockingEnabled<Result, Failure: Error>(
        _ body: (MockingDriver) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let driver = MockingDriver()
        let previous = sf_mocking_driver()
        sf_set_mocking_driver(Unmanaged.passUnretained(driver).toOpaque())
        defer {
            sf_set_mocking_driver(previous)
            withExtendedLifetime(driver) {}
        }
        return try body(driver)
    }
}
