import ArgumentParser

/// The runner container's entrypoint.
@main
struct SFAgent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sf-agent",
        abstract:
            "Run one Setup-Factory job: fetch the pinned scripts, run one script sandboxed, collect its artifacts.",
        discussion: """
            The job comes from the environment: JOB_ID, SCRIPT_ID, PARAMETERS (a JSON object) and, where \
            policy allows it, SCRIPTS_REF. Configuration comes from --set, SF_* variables, agent.conf and \
            built-in defaults, in that order.
            """,
        subcommands: [
            RunCommand.self, FetchCommand.self, CheckCommand.self, ArchiveCommand.self, GCCommand.self,
            VerifyCommand.self,
            ReplayCommand.self, VersionCommand.self, FetchWorkerCommand.self,
        ]
    )
}
