import AgentConfig
import AgentSystem
import ArgumentParser
import ConfigKeys
import GitSource
import Pipeline

/// `sf-agent verify DIR`: recomputes every digest a job's output folder
/// states; prints "verified" or each mismatch.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check a job's output folder against the digests its result.json, manifest.json and provenance.json state.",
        discussion: """
            Exit codes: 0 verified; 65 a digest does not match (each mismatch is printed); 66 DIR holds no result.json. \
            With a configuration naming the job's repository (\(ConfigKey.repoURL), \(ConfigKey.cacheDir)), the script's digest is also checked \
            against the script at the recorded commit when the cache holds it.
            """)

    /// A digest did not match (EX_DATAERR).
    static let mismatchExitCode: Int32 = 65
    /// DIR holds no `result.json` (EX_NOINPUT).
    static let noResultExitCode: Int32 = 66

    @Argument(help: "A job's output folder: <\(ConfigKey.outputDir)>/<JOB_ID>.") var directory: String
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let environment = ProcessEnvironment.current()
        var verifier = JobFolderVerifier(folder: directory)
        // The configuration is optional here: without one, the script is not
        // checked against the cache. One that is named (--config, --set,
        // SF_CONFIG) must be valid: a typo must not quietly skip that check.
        let named = options.config != nil || !options.assignments.isEmpty || environment["SF_CONFIG"] != nil
        let configuration = named ? try options.load(environment: environment) : try? options.load(quietly: environment)
        if let configuration {
            verifier.cache = GitCache(
                directory: configuration.cacheDirectory, lockTimeout: configuration.source.lockTimeout)
            verifier.repositoryURL = configuration.repository.url
        }
        let report: JobFolderVerifier.Report
        do { report = try verifier.verify() } catch {
            Console.error(error.description)
            throw ExitCode(Self.noResultExitCode)
        }
        for note in report.notChecked { print("not checked: \(note)") }
        guard report.verified else {
            for mismatch in report.mismatches { print("mismatch: \(mismatch)") }
            Console.error(
                "\(directory): \(report.mismatches.count) mismatch(es); the folder is not as the job left it.")
            throw ExitCode(Self.mismatchExitCode)
        }
        print("verified")
    }
}
