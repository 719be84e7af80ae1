import AgentSystem
import CGit2

/// Calls `body` with a `git_strarray` holding copies of `strings`, freed afterwards.
func withStringArray<Result>(
    _ strings: [String], _ body: (UnsafePointer<git_strarray>) throws(GitFailure) -> Result
) throws(GitFailure) -> Result {
    var copies: [UnsafeMutablePointer<CChar>?] = strings.map { system_strdup($0) }
    defer { for copy in copies { system_free(copy) } }
    return try copies.withUnsafeMutableBufferPointer { buffer throws(GitFailure) -> Result in
        var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&array)
    }
}
