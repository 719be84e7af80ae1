import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// TCP ports on 127.0.0.1 for servers started by tests.
package enum Loopback {
    /// A port that was free a moment ago (bound to port 0, then released).
    package static func freePort() throws -> UInt16 {
        let (fd, port) = try bound(Int32(SOCK_STREAM.rawValue))
        close(fd)
        return port
    }

    /// A new socket of `type` (`SOCK_STREAM`, `SOCK_DGRAM`) bound to a free
    /// port on 127.0.0.1; the caller owns (and closes) the descriptor.
    package static func bound(_ type: Int32) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw FixtureFailure("socket: errno \(errno)") }
        var address = address(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard named else {
            let error = errno
            close(fd)
            throw FixtureFailure("bind 127.0.0.1:0: errno \(error)")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on `host` (an IPv4 loopback address) and `port`.
    package static func accepts(_ port: UInt16, host: UInt32 = 0x7f00_0001) -> Bool {
        withSocket(port: port, host: host) { fd, address, length in connect(fd, address, length) == 0 }
    }

    /// Whether this process could listen on `host`:`port` right now.
    package static func canBind(_ port: UInt16, host: UInt32) -> Bool {
        withSocket(port: port, host: host) { fd, address, length in bind(fd, address, length) == 0 }
    }

    /// Runs `body` with a new TCP socket and the address `host`:`port`; false when no socket.
    private static func withSocket(
        port: UInt16, host: UInt32, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = address(port: port, host: host)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    private static func address(port: UInt16, host: UInt32 = 0x7f00_0001) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = host.bigEndian
        return address
    }
}

/// A fixture could not be set up; the message says which step failed.
package struct FixtureFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
