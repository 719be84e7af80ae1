import AgentConfig
import AgentSystem
import Launch
import Report
import Secrets

/// A job's secrets: read from `secrets.dir` before the script starts, all
/// of them (and the agent's own credentials) masked wherever the agent
/// writes, and the ones `secrets.allow` gives the script handed over as
/// `secrets.expose` says.
///
/// ```swift
/// let secrets = try JobSecrets.load(configuration)
/// let handed = try secrets.expose(for: job, in: configuration, user: plan.user, reserved: Set(plan.environment.keys))
/// plan.environment.merge(handed.environment) { $1 }
/// ```
struct JobSecrets {
    /// What the script gets.
    struct Exposure {
        /// Variables to add to the script's environment.
        var environment: [String: String]
        /// The private secrets folder to remove when the job ends.
        var folder: String?
    }

    let secrets: [Secret]
    let masker: SecretMasker

    /// Masks only the agent's own credentials: for a job refused before
    /// its secrets were read.
    static func credentialsOnly(_ configuration: AgentConfiguration) -> JobSecrets {
        JobSecrets(secrets: [], masker: masker(for: [], configuration))
    }

    /// Reads every secret and builds the masker; warns on stderr about
    /// values that will mask ordinary text.
    static func load(_ configuration: AgentConfiguration) throws(JobError) -> JobSecrets {
        let secrets: [Secret]
        do { secrets = try SecretStore.read(directories: configuration.secrets.directories) } catch {
            throw JobError(.configError, "secrets.dir: \(error.message)")
        }
        let masker = masker(for: secrets, configuration)
        for warning in masker.warnings { AgentLog.warning(warning) }
        return JobSecrets(secrets: secrets, masker: masker)
    }

    private static func masker(for secrets: [Secret], _ configuration: AgentConfiguration) -> SecretMasker {
        let credentials = CredentialValues.ofURL(configuration.repository.url)
        return SecretMasker(
            values: secrets.map(\.value) + credentials.map { Array($0.utf8) },
            names: secrets.map(\.name) + credentials.map { _ in "repo.url password" })
    }

    /// Hands the secrets `scriptID` may have to the script.
    func expose(
        scriptID: String, jobID: String, configuration: AgentConfiguration, owner: RunUser?, reserved: Set<String>
    ) throws(JobError) -> Exposure {
        do {
            let rules = try SecretSelection.parse(configuration.secrets.allow)
            let chosen = SecretSelection.select(secrets, for: scriptID, rules: rules, credentialPaths: [])
            switch configuration.secrets.expose {
            case .env:
                let variables = try SecretExposure.environment(
                    chosen, prefix: configuration.secrets.environmentPrefix, reserved: reserved)
                return Exposure(environment: variables, folder: nil)
            case .files:
                guard !configuration.secrets.directories.isEmpty else { return Exposure(environment: [:], folder: nil) }
                let folder = try SecretExposure.writeFiles(
                    chosen, into: Path.join(configuration.secrets.filesDirectory, jobID),
                    owner: owner.map { ($0.uid, $0.gid) })
                return Exposure(environment: [SecretExposure.directoryVariable: folder], folder: folder)
            }
        } catch {
            throw JobError(error.code == .filesFailed ? .outputError : .configError, error.message)
        }
    }
}
