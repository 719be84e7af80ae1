import AgentConfig
import AgentSystem
import ArgumentParser
import Launch
import Pipeline
import Report

/// `sf-agent run`: what the container runs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the job in JOB_ID, SCRIPT_ID and PARAMETERS; write logs, artifacts and result.json.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        try Self.prepareToSuperviseJobs()
        let environment = ProcessEnvironment.current()
        let configuration = try options.load(environment: environment)
        let pipeline = JobPipeline(
            configuration: configuration, agentEnvironment: environment,
            configurationFile: options.configurationFile(environment: environment))
        let completion = pipeline.run(environment: environment)
        Console.summary(completion)
        if completion.result.agentExitCode != 0 { throw ExitCode(completion.result.agentExitCode) }
    }

    /// What a command that runs a job does first: become the subreaper of
    /// the job's orphans and take SIGTERM and the other stop signals.
    static func prepareToSuperviseJobs() throws {
        Supervisor.adoptOrphans()
        do { try AgentSignals.install() } catch {
            Console.error(error.description)
            throw ExitCode(AgentExitCode.internalError.rawValue)
        }
    }
}
