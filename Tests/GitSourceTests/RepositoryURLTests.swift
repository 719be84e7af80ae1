import Testing

@testable import GitSource

@Suite struct RepositoryURLTests {
    @Test func redactsCredentials() {
        #expect(RepositoryURL.redacted("https://user:pass@git.example/a.git") == "https://git.example/a.git")
        #expect(RepositoryURL.redacted("https://TOKEN@git.example/a.git") == "https://git.example/a.git")
        #expect(RepositoryURL.redacted("https://u:p@ss@git.example:8443/a.git") == "https://git.example:8443/a.git")
        #expect(RepositoryURL.redacted("ssh://git@git.example/a.git") == "ssh://git.example/a.git")
        #expect(RepositoryURL.redacted("https://git.example/a@b.git") == "https://git.example/a@b.git")
        #expect(RepositoryURL.redacted("https://git.example/a.git?x=1") == "https://git.example/a.git?x=1")
        #expect(RepositoryURL.redacted("git@git.example:org/a.git") == "git@git.example:org/a.git")
        #expect(RepositoryURL.redacted("/srv/git/a.git") == "/srv/git/a.git")
        #expect(RepositoryURL.redacted("file:///srv/git/a.git") == "file:///srv/git/a.git")
        #expect(RepositoryURL.redacted("") == "")
    }

    @Test func scrubsCredentialsFromMessages() {
        let url = "https://ci:s3cret-token@git.example/a.git"
        #expect(RepositoryURL.scrub("failed to fetch \(url)", url: url) == "failed to fetch https://git.example/a.git")
        #expect(RepositoryURL.scrub("bad password s3cret-token", url: url) == "bad password ***")
        #expect(RepositoryURL.scrub("nothing here", url: "https://git.example/a.git") == "nothing here")
        // A bare token as the user name is a secret; an SSH login or a short name like `git` is not.
        #expect(
            RepositoryURL.scrub("token ghp_abcdef123 refused", url: "https://ghp_abcdef123@git.example/a.git")
                == "token *** refused")
        #expect(
            RepositoryURL.scrub("user git at github.com", url: "https://git@github.com/a.git")
                == "user git at github.com")
        #expect(
            RepositoryURL.scrub("for user sfgit-login", url: "ssh://sfgit-login@git.example/a.git")
                == "for user sfgit-login")
        #expect(RepositoryURL.scrub("pw hunter22", url: "ssh://me:hunter22@git.example/a.git") == "pw ***")
    }

    /// Credentials go only to repo.url's origin: scheme, host and port, compared as these strings.
    @Test func httpOrigins() {
        #expect(RepositoryURL.httpOrigin("https://ci:pw@Git.Example/x.git") == "https://git.example:443")
        #expect(RepositoryURL.httpOrigin("http://127.0.0.1:8080/private/repo") == "http://127.0.0.1:8080")
        #expect(RepositoryURL.httpOrigin("HTTP://h") == "http://h:80")
        #expect(RepositoryURL.httpOrigin("http://[::1]:9000/r") == "http://[::1]:9000")
        #expect(RepositoryURL.httpOrigin("http://a@b@evil:1/r") == "http://evil:1")
        #expect(RepositoryURL.httpOrigin("http://h:8080/r") != RepositoryURL.httpOrigin("http://h:8081/r"))
        #expect(RepositoryURL.httpOrigin("https://h/r") != RepositoryURL.httpOrigin("http://h:443/r"))
        for other in ["ssh://git@h/r", "git@h:r", "/srv/repo", "file:///srv/repo", "git://h/r", "http:///r"] {
            #expect(RepositoryURL.httpOrigin(other) == nil, "\(other)")
        }
    }

    @Test func repositoryPaths() {
        let cache = GitCache(directory: "/c")
        let path = cache.repositoryPath(for: "https://git.example/ops/scripts.git")
        #expect(path.hasPrefix("/c/repos/"))
        #expect(path.hasSuffix("-scripts.git"))
        #expect(path.count == "/c/repos/".count + 16 + "-scripts.git".count)
        // Credentials do not change which repository is used.
        #expect(cache.repositoryPath(for: "https://u:p@git.example/ops/scripts.git") == path)
        #expect(cache.repositoryPath(for: "https://git.example/other/scripts.git") != path)
        #expect(
            cache.checkoutPath(for: String(repeating: "A", count: 40)) == "/c/checkouts/"
                + String(repeating: "a", count: 40))
    }

    @Test func sanitizedNames() {
        #expect(GitCache.sanitizedName(of: "https://git.example/ops/scripts.git") == "scripts")
        #expect(GitCache.sanitizedName(of: "https://git.example/ops/scripts/") == "scripts")
        #expect(GitCache.sanitizedName(of: "git@host:org/My Repo.git") == "My_Repo")
        #expect(GitCache.sanitizedName(of: "/srv/..") == "_.")
        #expect(GitCache.sanitizedName(of: "https://host/") == "host")
        #expect(GitCache.sanitizedName(of: "") == "repo")
        #expect(GitCache.sanitizedName(of: "/srv/" + String(repeating: "x", count: 100)).count == 64)
    }
}
