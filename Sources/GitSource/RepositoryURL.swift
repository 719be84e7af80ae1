/// Repository URLs as the agent logs and stores them.
package enum RepositoryURL {
    /// The URL with any `user:password@` credentials removed, for logs and result.json.
    ///
    /// Only URLs with a scheme (`https://`, `ssh://`, `git://`, …) carry
    /// credentials; the whole user-info part is dropped from them, because a
    /// bare token is often given as the user name. scp-like addresses
    /// (`git@host:org/repo.git`) and plain paths are returned unchanged.
    ///
    /// ```swift
    /// RepositoryURL.redacted("https://ci:s3cret@git.example/scripts.git")
    /// // "https://git.example/scripts.git"
    /// ```
    package static func redacted(_ url: String) -> String {
        guard let userInfo = userInfoRange(in: url) else { return url }
        var result = url
        result.removeSubrange(userInfo)
        return result
    }

    /// The credentials part (`user:password@`, `@` included) of `url`, if any.
    static func credentials(in url: String) -> Substring? {
        userInfoRange(in: url).map { url[$0] }
    }

    /// Replaces every occurrence of `url`'s credentials in `text`, so that
    /// messages copied from libgit2 cannot leak them.
    ///
    /// A password always goes. A user name alone goes too (it may be a
    /// token: `https://<token>@host/…`), except in an `ssh://` URL, where it
    /// is only the login name, and when it is shorter than 6 characters
    /// (masking `git` would mangle every `github.com` in the message).
    static func scrub(_ text: String, url: String) -> String {
        guard let credentials = credentials(in: url) else { return text }
        var scrubbed = text.replacing(url, with: redacted(url))
        let userInfo = String(credentials.dropLast())
        let loginOnly = !userInfo.contains(":") && (isSSH(url) || userInfo.count < 6)
        if !userInfo.isEmpty && !loginOnly { scrubbed = scrubbed.replacing(userInfo, with: "***") }
        if let colon = userInfo.firstIndex(of: ":") {
            let password = String(userInfo[userInfo.index(after: colon)...])
            if !password.isEmpty { scrubbed = scrubbed.replacing(password, with: "***") }
        }
        return scrubbed
    }

    /// `scheme://host:port` of an `http` or `https` URL (lower-cased, the
    /// default port filled in, credentials left out); nil for other URLs.
    /// Credentials go only to the origin of `repo.url`.
    ///
    /// ```swift
    /// RepositoryURL.httpOrigin("https://ci:pw@Git.Example/x.git")  // "https://git.example:443"
    /// ```
    static func httpOrigin(_ url: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard let defaultPort = ["http": "80", "https": "443"][scheme] else { return nil }
        let rest = url[schemeEnd.upperBound...]
        var authority = rest[..<(rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex)]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let hostEnd =
            authority.hasPrefix("[")
            ? authority.firstIndex(of: "]").map { authority.index(after: $0) } : authority.lastIndex(of: ":")
        let host = authority[..<(hostEnd ?? authority.endIndex)]
        let afterHost = authority[(hostEnd ?? authority.endIndex)...]
        let port = afterHost.hasPrefix(":") && afterHost.count > 1 ? String(afterHost.dropFirst()) : defaultPort
        guard !host.isEmpty else { return nil }
        return "\(scheme)://\(host.lowercased()):\(port)"
    }

    /// Whether `url` uses an SSH scheme (`ssh://`, `git+ssh://`, `ssh+git://`).
    static func isSSH(_ url: String) -> Bool {
        ["ssh://", "git+ssh://", "ssh+git://"].contains { url.hasPrefix($0) }
    }

    /// The range of `user[:password]@` after `scheme://`, up to the end of the authority.
    private static func userInfoRange(in url: String) -> Range<String.Index>? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else {
            return nil
        }
        let authorityStart = schemeEnd.upperBound
        let authorityEnd = url[authorityStart...].firstIndex(where: { "/?#".contains($0) }) ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else { return nil }
        return authorityStart..<url.index(after: at)
    }
}
