/// One Landlock path-beneath rule: `access` on `path` and everything under it.
public struct LandlockRule: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var access: LandlockAccess

    public init(_ path: String, _ access: LandlockAccess) {
        self.path = path
        self.access = access
    }

    public var description: String { "\(path) \(access == .readWrite ? "rw" : access == .readExecute ? "rx" : "0x\(String(access.rawValue, radix: 16))")" }
}
