import AgentSystem
import ArgumentParser
import ConfigKeys
import GitSource
import Pipeline
import Report

/// `sf-agent gc`: trims the shared cache's checkouts (never one in use) and
/// the jobs' earlier attempts beyond `output.keep_attempts` (never a
/// running job's).
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract:
            "Remove checkouts unused for \(ConfigKey.cacheKeepDays) and beyond \(ConfigKey.cacheMaxBytes), and attempts beyond \(ConfigKey.outputKeepAttempts); never one in use."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let environment = ProcessEnvironment.current()
        let pipeline = try options.pipeline(environment: environment)
        let configuration = pipeline.configuration
        let pruning = pipeline.pruneAttempts()
        for path in pruning.removed { print("removed attempt \(path)") }
        for folder in pruning.running { print("kept \(folder): a job with this JOB_ID is running") }
        for failure in pruning.failures { Console.error(failure) }
        let cache = GitCache(directory: configuration.cacheDirectory, lockTimeout: configuration.source.lockTimeout)
        do {
            let report = try cache.collectGarbage(
                keepDays: configuration.source.keepDays, maxBytes: configuration.source.maxBytes)
            for item in report.removed { print("removed \(item.commit) (\(item.bytes) bytes): \(item.reason)") }
            for commit in report.inUse { print("kept \(commit): in use by a running job") }
            print("freed \(report.freedBytes) bytes; kept \(report.kept) checkouts (\(report.keptBytes) bytes)")
        } catch {
            Console.error(error.message)
            throw ExitCode(
                error.code == .lockTimeout ? AgentExitCode.cacheBusy.rawValue : AgentExitCode.sourceError.rawValue)
        }
        if !pruning.failures.isEmpty { throw ExitCode(AgentExitCode.outputError.rawValue) }
    }
}
