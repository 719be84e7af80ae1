/// One Landlock path-beneath rule: `access` on `path` and everything under it.
package struct LandlockRule: Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var access: LandlockAccess

    package init(_ path: String, _ access: LandlockAccess) {
        self.path = path
        self.access = access
    }

    package var description: String {
        "\(path) \(access == .readWrite ? "rw" : access == .readExecute ? "rx" : "0x\(String(access.rawValue, radix: 16))")"
    }
}
