/// The host and port of an SSH repository address: `ssh://[user@]host[:port]/path`
/// or scp-like `[user@]host:path`.
///
/// ```swift
/// SSHAddress("ssh://git@127.0.0.1:2222/srv/repo.git")?.port   // 2222
/// SSHAddress("git@example.org:ops/scripts.git")?.host         // "example.org"
/// SSHAddress("https://example.org/x.git")                     // nil
/// ```
struct SSHAddress: Equatable {
    var user: String?
    var host: String
    var port: Int?

    init?(_ url: String) {
        if RepositoryURL.isSSH(url) {
            guard let schemeEnd = url.firstRange(of: "://") else { return nil }
            let rest = url[schemeEnd.upperBound...]
            var authority = rest.prefix { $0 != "/" }
            if let at = authority.lastIndex(of: "@") {
                user = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = Int(authority[authority.index(after: colon)...])
            } else {
                host = String(authority)
            }
            if host.isEmpty { return nil }
            return
        }
        // scp-like: a colon before any slash, and no scheme.
        guard !url.contains("://"), let colon = url.firstIndex(of: ":"),
            !url[..<colon].contains("/"), !url[..<colon].isEmpty
        else { return nil }
        var authority = url[..<colon]
        if let at = authority.lastIndex(of: "@") {
            user = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        host = String(authority)
        if host.isEmpty { return nil }
    }
}
