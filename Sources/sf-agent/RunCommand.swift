import AgentConfig
import AgentSystem
import ArgumentParser
import JobInput
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
        Supervisor.adoptOrphans()
        do { try AgentSignals.install() } catch {
            Console.error(error.description)
            throw ExitCode(AgentExitCode.internalError.rawValue)
        }
        let environment = ProcessEnvironment.current()
        let configuration = try options.load(environment: environment)
        let pipeline = JobPipeline(
            configuration: configuration, agentEnvironment: environment,
            configurationFile: options.configurationFile(environment: environment))

        let result: JobResult
        do {
            result = pipeline.run(try JobRequest(environment: environment))
        } catch {
            guard let jobID = try? JobRequest.validJobID(environment["JOB_ID"]) else {
                Console.error("\(error) No result.json was written: without a valid JOB_ID there is no output folder.")
                throw ExitCode(AgentExitCode.rejected.rawValue)
            }
            let scriptID = try? JobRequest.validScriptID(environment["SCRIPT_ID"])
            result = pipeline.reject(jobID: jobID, scriptID: scriptID, error: JobError(.invalidJob, error.description))
        }
        Console.summary(result, outputFolder: Path.join(configuration.outputDirectory, result.jobID))
        if result.agentExitCode != 0 { throw ExitCode(result.agentExitCode) }
    }
}
