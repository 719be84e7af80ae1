import ConfigKeys

/// What to do about an HTTPS certificate libgit2 refused, from its message.
///
/// Debian 12's libgit2 1.5 verifies certificates with mbedTLS 2.28, whose
/// messages name the failed checks (`… not correctly signed by the trusted
/// CA`, `… Common Name (CN) does not match …`) but not the fix. mbedTLS 2.28
/// matches the host only against the certificate's DNS names (or its CN),
/// never against an IP address SAN, which surprises users of a private CA.
///
/// ```swift
/// CertificateAdvice.advice(for: "…not correctly signed by the trusted CA", host: "git.example", caFile: nil)
/// // "the server's certificate is not signed by a CA in the system bundle; for a private CA, set repo.ca_file to its PEM file"
/// ```
enum CertificateAdvice {
    /// One sentence per failed check, joined with "; " (empty when none is recognized).
    static func advice(for message: String, host: String?, caFile: String?) -> String {
        var hints: [String] = []
        if message.contains("not correctly signed by the trusted CA") {
            hints.append(
                caFile.map { "the server's certificate is not signed by a CA in \(ConfigKey.repoCAFile) (\($0))" }
                    ?? "the server's certificate is not signed by a CA in the system bundle; for a private CA, set \(ConfigKey.repoCAFile) to its PEM file"
            )
        }
        if message.contains("does not match with the expected CN") {
            let name = host ?? "the host"
            if let host, isIPAddress(host) {
                hints.append(
                    "the certificate does not name \(host) as a DNS name: libgit2 with mbedTLS matches only DNS names "
                        + "(subjectAltName DNS:… or the CN), not IP addresses; use a host name in \(ConfigKey.repoURL) or add DNS:\(host) to the certificate"
                )
            } else {
                hints.append("the certificate does not name \(name)")
            }
        }
        if message.contains("has expired") { hints.append("the server's certificate has expired") }
        return hints.joined(separator: "; ")
    }

    /// The host of an `https://` URL (user info and port removed), or nil.
    static func host(ofHTTPS url: String) -> String? {
        guard url.hasPrefix("https://") else { return nil }
        var authority = url.dropFirst("https://".count).prefix { !"/?#".contains($0) }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        return String(authority.prefix { $0 != ":" })
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":")
            || (host.split(separator: ".", omittingEmptySubsequences: false).count == 4
                && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}
