import AgentSystem
import ArgumentParser
import JobInput
import Pipeline
import Report

/// `sf-agent check`: everything up to the launch, then the plan. Runs nothing.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fetch, verify and resolve the job, print what would run and which rules passed; run nothing.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let environment = ProcessEnvironment.current()
        let pipeline = try options.pipeline(environment: environment)
        do throws(JobError) {
            let job: JobRequest
            do { job = try JobRequest(environment: environment) } catch {
                throw JobError(error)
            }
            print(try pipeline.renderedPlan(job))
        } catch {
            Console.error(error.message)
            throw ExitCode(error.code.exitCode.rawValue)
        }
    }
}
