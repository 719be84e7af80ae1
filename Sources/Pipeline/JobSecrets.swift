import AgentConfig
import AgentSystem
import ConfigKeys
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
/// let handover = try secrets.handover(scriptID: "deploy/web", jobID: "job-1", configuration: configuration, reserved: ["PATH"])
/// // plan: handover.variables (names), handover.folder; at the launch:
/// let values = try secrets.expose(
///     scriptID: "deploy/web", jobID: "job-1", configuration: configuration, owner: user, reserved: ["PATH"])
/// ```
struct JobSecrets {
    let secrets: [Secret]
    let masker: SecretMasker
    /// The bearer token of `report.token_file`.
    var reportToken: String? = nil

    /// Masks only the agent's own credentials: for a job refused before
    /// its secrets were read.
    static func credentialsOnly(_ configuration: AgentConfiguration) -> JobSecrets {
        let token = try? readReportToken(configuration)
        return JobSecrets(secrets: [], masker: masker(for: [], configuration, token: token), reportToken: token)
    }

    /// The report token, one trailing newline removed.
    static func readReportToken(_ configuration: AgentConfiguration) throws(JobError) -> String? {
        guard let path = configuration.report.tokenFile else { return nil }
        let bytes: [UInt8]
        do { bytes = try FileSystem.readFile(path) } catch {
            throw JobError(.configError, "\(ConfigKey.reportTokenFile): \(error).")
        }
        let secret = Secret(name: "report token", contents: bytes, path: path)
        return String(decoding: secret.value, as: UTF8.self)
    }

    /// Reads every secret and builds the masker; warns on stderr about
    /// values that will mask ordinary text.
    static func load(_ configuration: AgentConfiguration) throws(JobError) -> JobSecrets {
        let secrets: [Secret]
        do { secrets = try SecretStore.read(directories: configuration.secrets.directories) } catch {
            throw JobError(.configError, "\(ConfigKey.secretsDir): \(error.message)")
        }
        let token = try readReportToken(configuration)
        let masker = masker(for: secrets, configuration, token: token)
        for warning in masker.warnings { AgentLog.warning(warning) }
        return JobSecrets(secrets: secrets, masker: masker, reportToken: token)
    }

    /// Masks the secrets and the agent's own credentials: the `repo.url`
    /// password and the report token.
    private static func masker(for secrets: [Secret], _ configuration: AgentConfiguration, token: String?)
        -> SecretMasker
    {
        var credentials = CredentialValues.ofURL(configuration.repository.url).map {
            (value: $0, name: "\(ConfigKey.repoURL) password")
        }
        if let token, !token.isEmpty { credentials.append((token, ConfigKey.reportTokenFile.name)) }
        if let repositoryToken = repositoryToken(configuration) {
            credentials.append((repositoryToken, ConfigKey.repoTokenFile.name))
            // `user:password`: the password alone must not show either.
            if let colon = repositoryToken.firstIndex(of: ":") {
                let password = String(repositoryToken[repositoryToken.index(after: colon)...])
                if !password.isEmpty { credentials.append((password, "\(ConfigKey.repoTokenFile) password")) }
            }
        }
        return SecretMasker(
            values: secrets.map(\.value) + credentials.map { Array($0.value.utf8) },
            names: secrets.map(\.name) + credentials.map(\.name))
    }

    /// The contents of `repo.token_file`, one trailing newline removed; nil
    /// when unset or unreadable (the fetch reports that error itself).
    static func repositoryToken(_ configuration: AgentConfiguration) -> String? {
        guard let path = configuration.source.tokenFile, let bytes = try? FileSystem.readFile(path) else { return nil }
        let value = String(decoding: Secret(name: "repository token", contents: bytes, path: path).value, as: UTF8.self)
        return value.isEmpty ? nil : value
    }

    /// What the script will get, decided without writing anything: the
    /// names of the variables (`env`) or the private folder (`files`).
    struct Handover: Sendable, Equatable {
        /// Sorted variable names.
        var variables: [String]
        /// `<secrets.files_dir>/<JOB_ID>`.
        var folder: String?
    }

    /// The secrets `scriptID` may have (`secrets.allow`), without the agent's own credential files.
    func chosen(for scriptID: String, configuration: AgentConfiguration) throws(SecretsError) -> [Secret] {
        let rules = try SecretSelection.parse(configuration.secrets.allow)
        let credentialFiles = [
            configuration.report.tokenFile, configuration.source.tokenFile, configuration.source.sshKeyFile,
        ].compactMap { $0 }
        return SecretSelection.select(secrets, for: scriptID, rules: rules, credentialPaths: credentialFiles)
    }

    /// The plan's part of the handover: which variables or which folder.
    /// Refuses (`config_error`) variable names that clash with each other or
    /// with `reserved`, and values that cannot be variables.
    func handover(
        scriptID: String, jobID: String, configuration: AgentConfiguration, reserved: Set<String>
    ) throws(JobError) -> Handover {
        do {
            let chosen = try chosen(for: scriptID, configuration: configuration)
            switch configuration.secrets.expose {
            case .env:
                let variables = try SecretExposure.environment(
                    chosen, prefix: configuration.secrets.environmentPrefix, reserved: reserved)
                return Handover(variables: variables.keys.sorted(), folder: nil)
            case .files:
                guard !configuration.secrets.directories.isEmpty else { return Handover(variables: [], folder: nil) }
                return Handover(variables: [], folder: Path.join(configuration.secrets.filesDirectory, jobID))
            }
        } catch {
            throw JobError(error)
        }
    }

    /// Hands the secrets `scriptID` may have to the script, as
    /// ``handover(scriptID:jobID:configuration:reserved:)`` decided: writes
    /// the private folder (`files`; `SF_SECRETS_DIR` is already in the
    /// plan), or returns the variables with their values (`env`).
    func expose(
        scriptID: String, jobID: String, configuration: AgentConfiguration, owner: RunUser?, reserved: Set<String>
    ) throws(JobError) -> [String: String] {
        do {
            let chosen = try chosen(for: scriptID, configuration: configuration)
            switch configuration.secrets.expose {
            case .env:
                return try SecretExposure.environment(
                    chosen, prefix: configuration.secrets.environmentPrefix, reserved: reserved)
            case .files:
                guard !configuration.secrets.directories.isEmpty else { return [:] }
                try SecretExposure.writeFiles(
                    chosen, into: Path.join(configuration.secrets.filesDirectory, jobID),
                    owner: owner.map { ($0.uid, $0.gid) })
                return [:]
            }
        } catch {
            throw JobError(error)
        }
    }
}
