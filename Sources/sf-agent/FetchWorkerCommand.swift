import ArgumentParser
import GitSource

#if canImport(Glibc)
import Glibc
#endif

/// `sf-agent fetch-worker`: one fetch attempt, run by the agent itself in a
/// child it can kill at `repo.fetch_timeout`. Reads its request on stdin.
/// Not for people; hidden from help.
struct FetchWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-worker", abstract: "Internal: one fetch attempt for the agent.", shouldDisplay: false)

    func run() {
        Glibc.exit(FetchWorker.serve())
    }
}
