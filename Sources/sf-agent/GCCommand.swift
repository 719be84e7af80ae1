import AgentSystem
import ArgumentParser
import GitSource
import Report

/// `sf-agent gc`: trims the shared cache's checkouts; never one in use.
struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove checkouts unused for cache.keep_days and beyond cache.max_bytes; never one in use.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = try options.load(environment: ProcessEnvironment.current())
        let cache = GitCache(directory: configuration.cacheDirectory, lockTimeout: configuration.source.lockTimeout)
        do {
            let report = try cache.collectGarbage(keepDays: configuration.source.keepDays, maxBytes: configuration.source.maxBytes)
            for item in report.removed { print("removed \(item.commit) (\(item.bytes) bytes): \(item.reason)") }
            for commit in report.inUse { print("kept \(commit): in use by a running job") }
            print("freed \(report.freedBytes) bytes; kept \(report.kept) checkouts (\(report.keptBytes) bytes)")
        } catch {
            Console.error(error.message)
            throw ExitCode(error.code == .lockTimeout ? AgentExitCode.cacheBusy.rawValue : AgentExitCode.sourceError.rawValue)
        }
    }
}
