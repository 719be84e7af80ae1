import AgentConfig
import ArgumentParser
import ConfigKeys
import Pipeline
import Report

/// Options every job command shares: where the configuration comes from.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Configuration file (default: $SF_CONFIG, else /etc/sf-agent/agent.conf).", valueName: "path"))
    var config: String?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override one key, e.g. --set \(ConfigKey.runTimeout)=5m. Repeatable.", valueName: "key=value"))
    var assignments: [String] = []

    /// The configuration file in use (it may not exist): kept out of the script's reach.
    func configurationFile(environment: [String: String]) -> String {
        config ?? environment["SF_CONFIG"] ?? ConfigLoader.defaultPath
    }

    /// Loads the configuration (with a warning for each `SF_*` variable it
    /// ignored), or prints why not and exits with the configuration error code.
    func load(environment: [String: String]) throws -> AgentConfiguration {
        do {
            let flags = try ConfigLayers.parseFlags(assignments)
            let configuration = try ConfigLoader.load(configPath: config, environment: environment, flags: flags)
            for ignored in configuration.ignoredVariables { Console.warning(ignored.description) }
            return configuration
        } catch {
            Console.error(error.description)
            throw ExitCode(AgentExitCode.configError.rawValue)
        }
    }

    /// Loads the configuration without printing anything: for a command to
    /// which the default configuration is optional.
    func load(quietly environment: [String: String]) throws -> AgentConfiguration {
        try ConfigLoader.load(
            configPath: config, environment: environment, flags: try ConfigLayers.parseFlags(assignments))
    }

    /// The pipeline over the loaded configuration (exits with the configuration error code when it is invalid).
    func pipeline(environment: [String: String]) throws -> JobPipeline {
        JobPipeline(
            configuration: try load(environment: environment), agentEnvironment: environment,
            configurationFile: configurationFile(environment: environment))
    }
}
