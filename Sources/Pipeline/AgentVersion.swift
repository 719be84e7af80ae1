/// The agent's version, recorded in every `result.json`.
public enum AgentVersion {
    public static let current = "0.2.0"
}
