import AgentConfig
import AgentSystem
import ArgumentParser
import ConfigKeys
import Launch
import Pipeline
import Report

/// `sf-agent replay DIR`: runs a recorded job again under a new JOB_ID and
/// compares the two.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Run the job recorded in DIR again (same commit, script, parameters, configuration) and compare the results.",
        discussion: """
            The replay is a new job, <\(ConfigKey.outputDir)>/<JOB_ID>/, with its own result.json. Exit codes: 0 reproduced (identical \
            artifacts, the same status and exit code); 65 it differs (each differing file is printed); 66 DIR holds no \
            result.json; 77 refused, nothing ran (the configuration that shaped the run differs, the commit cannot be had, \
            the script's digest changed); 78 invalid configuration; 70 the replay could not be compared.
            """)

    @Argument(help: "The recorded job's output folder: <\(ConfigKey.outputDir)>/<JOB_ID>.") var directory: String
    @Option(
        name: .customLong("job-id"),
        help: ArgumentHelp("The replay's JOB_ID (default: <JOB_ID>-replay-<UTC time>).", valueName: "id"))
    var jobID: String?
    @OptionGroup var options: ConfigOptions

    func run() throws {
        try RunCommand.prepareToSuperviseJobs()
        let environment = ProcessEnvironment.current()
        let configuration = try options.load(environment: environment)
        let replay: JobReplay
        do {
            replay = try JobReplay.prepare(
                folder: directory, configuration: configuration, agentEnvironment: environment,
                configurationFile: options.configurationFile(environment: environment), jobID: jobID)
        } catch {
            Console.error(error.message)
            switch error.code {
            case .noResult: throw ExitCode(VerifyCommand.noResultExitCode)
            case .refused: throw ExitCode(AgentExitCode.rejected.rawValue)
            case .failed: throw ExitCode(AgentExitCode.internalError.rawValue)
            }
        }
        print("replaying \(replay.recorded.jobID) at \(replay.recorded.commit ?? "") as JOB_ID \(replay.jobID)")
        let (completion, outcome) = replay.run()
        Console.summary(completion)
        switch outcome {
        case .success(let outcome):
            for line in outcome.lines { print(line) }
            if !outcome.reproduced { throw ExitCode(VerifyCommand.mismatchExitCode) }
        case .failure(let refusal):
            Console.error(refusal.message)
            throw ExitCode(AgentExitCode.internalError.rawValue)
        }
    }
}
