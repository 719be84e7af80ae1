import Synchronization
import TestSupport
import Testing

@testable import AgentSystem

#if canImport(Glibc)
import Glibc
#endif

/// The mocking hook of the `system_*` wrappers: a trace of the calls, an
/// errno forced on chosen calls, installed for one thread and one closure.
@Suite struct MockingTests {
    typealias Call = MockingDriver.Call

    /// What the other thread saw.
    final class Seen: Sendable {
        let exists = Atomic<Bool>(false)
        var sawRoot: Bool { exists.load(ordering: .relaxed) }
    }

    @Test func theTraceRecordsEachCallWithItsArguments() throws {
        let scratch = try TemporaryDirectory("sf-mocking")
        let directory = scratch.path
        let path = directory + "/file"
        try FileSystem.writeAtomically(Array("hello".utf8), to: path, durability: .none)

        let (bytes, trace) = try MockingDriver.withMockingEnabled { driver in
            (try FileSystem.readFile(path), driver.trace)
        }

        #expect(bytes == Array("hello".utf8))
        #expect(trace.map(\.name) == ["open", "read", "read", "close"])
        #expect(trace.first == Call("open", path, O_RDONLY | O_CLOEXEC, mode_t(0)))
        #expect(trace.last?.description.hasPrefix("close(") == true)
        #expect(trace.first?.description == "open(\"\(path)\", \(O_RDONLY | O_CLOEXEC), 0)")
    }

    /// The wrapper fails with the forced errno as libc would, without
    /// reaching libc; the helper above it names the path.
    @Test func aForcedErrnoFailsTheWrapperAndTheHelperNamesThePath() throws {
        let scratch = try TemporaryDirectory("sf-mocking")
        let directory = scratch.path
        let path = directory + "/file"
        try FileSystem.writeAtomically(Array("x".utf8), to: path, durability: .none)

        MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EIO, on: ["open"])
            #expect(system_open(path, O_RDONLY) == -1)
            #expect(currentErrno() == EIO)
            // Forced once: the next open reaches libc.
            let fd = system_open(path, O_RDONLY)
            #expect(fd >= 0)
            system_close(fd)

            driver.forceErrno(EIO, on: ["read"])
            #expect(throws: SystemError(operation: "read", path: path, errno: EIO)) {
                try FileSystem.readFile(path)
            }
            driver.forceErrno(EACCES, on: ["stat"])
            let error = #expect(throws: SystemError.self) { try FileSystem.status(path) }
            #expect(error?.description == "cannot inspect \(path): Permission denied")
        }
    }

    /// `EINTR` is retried: three interrupted reads, then the file.
    @Test func interruptedReadsAreRetried() throws {
        let scratch = try TemporaryDirectory("sf-mocking")
        let directory = scratch.path
        let path = directory + "/file"
        try FileSystem.writeAtomically(Array("abc".utf8), to: path, durability: .none)

        let (bytes, reads) = try MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EINTR, on: ["read"], count: 3)
            return (try FileSystem.readFile(path), driver.trace.filter { $0.name == "read" }.count)
        }

        #expect(bytes == Array("abc".utf8))
        #expect(reads == 5)
    }

    /// A full disk in the middle of an atomic write: the error names the
    /// temporary file, which is gone, and the target was never created.
    @Test func aFullDiskDuringAnAtomicWriteLeavesNothing() throws {
        let scratch = try TemporaryDirectory("sf-mocking")
        let directory = scratch.path
        let path = directory + "/result.json"

        let error = MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(ENOSPC, on: ["write"])
            return #expect(throws: SystemError.self) {
                try FileSystem.writeAtomically(Array("{}".utf8), to: path)
            }
        }

        #expect(error?.errno == ENOSPC)
        #expect(error?.operation == "write")
        #expect(error?.path == "\(directory)/.result.json.tmp-\(getpid())")
        #expect(try FileSystem.directoryEntries(directory).isEmpty)
    }

    @Test func anEmptySetOfCallsForcesEveryCallAndCountZeroStops() {
        MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(ENOENT, count: 2)
            #expect(!FileSystem.exists("/"))
            #expect(!FileSystem.isDirectory("/"))
            #expect(FileSystem.exists("/"))
            driver.forceErrno(ENOENT, count: 0)
            #expect(FileSystem.isDirectory("/"))
            #expect(driver.trace == [Call("lstat", "/"), Call("stat", "/"), Call("lstat", "/"), Call("stat", "/")])
        }
    }

    /// Mocking is off outside the closure, a nested driver gives the outer
    /// one back, and another thread never sees the driver.
    @Test func theDriverBelongsToOneThreadAndOneClosure() throws {
        #expect(MockingDriver.current == nil)
        let seen = Seen()
        MockingDriver.withMockingEnabled { outer in
            outer.forceErrno(ENOENT, count: 100)
            let thread = try? WorkerThread { seen.exists.store(FileSystem.exists("/"), ordering: .relaxed) }
            thread?.join()
            MockingDriver.withMockingEnabled { inner in
                #expect(FileSystem.exists("/"))
                #expect(inner.trace == [Call("lstat", "/")])
            }
            #expect(!FileSystem.exists("/"))
            #expect(outer.trace == [Call("lstat", "/")])
        }
        #expect(seen.sawRoot)
        #expect(MockingDriver.current == nil)
        #expect(FileSystem.exists("/"))
    }

    /// The `get*_r` wrappers return the error number, as libc's do; the
    /// typed lookup turns it into a ``SystemError``.
    @Test func aFailedUserLookupIsAnErrorNotAMissingUser() throws {
        #expect(try UserDatabase.user(id: 0)?.name == "root")
        MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EIO, on: ["getpwuid_r"])
            #expect(throws: SystemError(operation: "look up", path: "uid 0", errno: EIO)) {
                try UserDatabase.user(id: 0)
            }
            driver.forceErrno(EMFILE, on: ["getgrgid_r"])
            #expect(throws: SystemError(operation: "look up", path: "gid 0", errno: EMFILE)) {
                try UserDatabase.groupName(id: 0)
            }
        }
    }
}
