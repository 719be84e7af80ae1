import ArgumentParser
import Pipeline

/// `sf-agent version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the agent's version.")

    func run() {
        print("sf-agent \(AgentVersion.current)")
    }
}
