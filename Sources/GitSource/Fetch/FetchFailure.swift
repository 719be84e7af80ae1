/// Why one fetch attempt failed, as the worker reports it.
struct FetchFailure: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// libgit2's return code (0 when the failure is the agent's own).
    var code: Int32
    /// libgit2's error class (`GIT_ERROR_NET`, …), 0 when none.
    var errorClass: Int32
    /// What went wrong, secrets already scrubbed.
    var message: String
    /// The attempt outlived `repo.fetch_timeout`.
    var timedOut = false
    /// Known not to be worth retrying (credentials or host key refused).
    var permanent = false
    /// The cache repository itself looks damaged (odb, pack or zlib errors).
    var cacheDamaged = false

    var description: String { message }
}
