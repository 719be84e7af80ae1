/// The agent's version, recorded in every `result.json`.
package enum AgentVersion {
    package static let current = "0.2.0"
}
