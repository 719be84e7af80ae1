import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A socket a test listens on, for a script that should (or should not)
/// reach it: TCP or UDP on 127.0.0.1, or a Unix socket bound to a path
/// (mode 0777, so any user may connect; stream or datagram) or to an
/// abstract name (stream).
///
/// Nothing is accepted while the script runs: the kernel queues connections
/// and their data (a stream listener's backlog, a datagram socket's
/// buffer). ``received()`` collects what arrived, afterwards.
///
/// ```swift
/// let unix = try LocalListener(.unixPath(root + "/listener.sock"))
/// // ... the script connects and sends "marker" ...
/// unix.received()   // "marker"
/// ```
package final class LocalListener {
    package enum Kind: Sendable {
        case tcp
        case udp
        /// A filesystem path (at most 107 bytes); the socket file is made 0777.
        case unixPath(String)
        /// A datagram socket at a path, as `/dev/log` is.
        case unixDatagramPath(String)
        /// An abstract name (no leading NUL: it is added).
        case unixAbstract(String)
    }

    package let descriptor: Int32
    /// The port of a TCP or UDP listener, else 0.
    package let port: UInt16
    private let isStream: Bool
    private let path: String?

    package init(_ kind: Kind) throws {
        let stream = Int32(SOCK_STREAM.rawValue)
        switch kind {
        case .tcp:
            (descriptor, port) = try Loopback.bound(stream)
            (isStream, path) = (true, nil)
        case .udp:
            (descriptor, port) = try Loopback.bound(Int32(SOCK_DGRAM.rawValue))
            (isStream, path) = (false, nil)
        case .unixPath(let name), .unixDatagramPath(let name):
            let datagram = if case .unixDatagramPath = kind { true } else { false }
            descriptor = try Self.boundUnix(
                Array(name.utf8) + [0], length: name.utf8.count + 1,
                type: datagram ? Int32(SOCK_DGRAM.rawValue) : stream)
            guard chmod(name, 0o777) == 0 else { throw FixtureFailure("chmod 0777 \(name): errno \(errno)") }
            (port, isStream, path) = (0, !datagram, name)
        case .unixAbstract(let name):
            descriptor = try Self.boundUnix([0] + Array(name.utf8), length: name.utf8.count + 1, type: stream)
            (port, isStream, path) = (0, true, nil)
        }
        if isStream, listen(descriptor, 16) != 0 { throw FixtureFailure("listen: errno \(errno)") }
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }

    /// Every byte that reached the listener so far, without waiting: the
    /// datagrams, or the data of each queued connection, as text.
    package func received() -> String {
        guard isStream else { return String(decoding: Self.drain(descriptor), as: UTF8.self) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var bytes: [UInt8] = []
        while true {
            let connection = accept(descriptor, nil, nil)  // drain reads with MSG_DONTWAIT
            if connection < 0 { break }
            bytes += Self.drain(connection)
            close(connection)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What `descriptor` (non-blocking) holds now.
    private static func drain(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// A new Unix socket of `type` bound to `name` (the bytes of `sun_path`,
    /// `length` of them counted in the address).
    private static func boundUnix(_ name: [UInt8], length: Int, type: Int32) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard name.count <= capacity else { throw FixtureFailure("unix socket name longer than \(capacity) bytes") }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let fd = socket(AF_UNIX, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw FixtureFailure("socket(AF_UNIX): errno \(errno)") }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(offset + length)) == 0 }
        }
        guard bound else {
            let error = errno
            close(fd)
            throw FixtureFailure("bind unix socket: errno \(error)")
        }
        return fd
    }
}
