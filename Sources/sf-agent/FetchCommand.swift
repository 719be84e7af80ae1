import AgentSystem
import ArgumentParser
import ConfigKeys
import JobInput
import Launch
import Pipeline
import Report

/// `sf-agent fetch`: everything up to the verified read-only checkout, then
/// stop. Needs no JOB_ID; SCRIPT_ID, SCRIPTS_REF and SCRIPTS_COMMIT are honoured when set.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract:
            "Fetch, verify and check out the configured ref into the cache, print the commit and checkout; run nothing.",
        discussion: """
            For an init container or to warm a cache in an image build. JOB_ID is not needed. SCRIPTS_REF is \
            used where \(ConfigKey.policyAllowedRefs) allows it; SCRIPTS_COMMIT refuses any other commit; with SCRIPT_ID the script is also checked against \
            \(ConfigKey.policyAllowedScripts) and must exist in the checkout. Exit codes as for run: 69 fetch or checkout \
            failed, 75 cache busy, 77 refused by policy or input, 78 invalid configuration.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        // SIGTERM (an init container being stopped) ends a fetch or a lock wait at once, as `run` does.
        do { try AgentSignals.install() } catch {
            Console.error(error.description)
            throw ExitCode(AgentExitCode.internalError.rawValue)
        }
        let environment = ProcessEnvironment.current()
        let pipeline = try options.pipeline(environment: environment)
        do throws(JobError) {
            let scriptID: String?
            let ref: String?
            let expectedCommit: String?
            do {
                scriptID = try environment["SCRIPT_ID"].map { (value) throws(JobInputError) in
                    try JobRequest.validScriptID(value)
                }
                ref = try JobRequest.validRef(environment["SCRIPTS_REF"])
                expectedCommit = try JobRequest.validCommit(environment["SCRIPTS_COMMIT"])
            } catch {
                throw JobError(error)
            }
            print(
                try pipeline.fetchSource(scriptID: scriptID, requestedRef: ref, expectedCommit: expectedCommit)
                    .rendered())
        } catch {
            Console.error(error.message)
            throw ExitCode(error.code.exitCode.rawValue)
        }
    }
}
