/// One configuration key: its name in `agent.conf`, its environment name,
/// its built-in default and what it means.
///
/// ```swift
/// ConfigKey.repoURL.environmentName   // "SF_REPO_URL"
/// ```
package struct ConfigKey: Sendable, Hashable, CustomStringConvertible {
    /// The dotted name used in `agent.conf` and with `--set`.
    package let name: String
    /// The value used when no flag, environment variable or file sets the key.
    package let defaultValue: String
    /// One line for `agent.conf.example` and the docs.
    package let summary: String

    package init(_ name: String, default defaultValue: String, _ summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// `SF_` and the name upper-cased, dots and dashes as underscores.
    package var environmentName: String {
        "SF_" + String(name.uppercased().map { $0 == "." || $0 == "-" ? "_" : $0 })
    }

    /// The part of the name before the first dot (`policy` for
    /// `policy.allowed_scripts`): what `config.ignore_environment` names.
    package var section: String { String(name.prefix { $0 != "." }) }

    /// Read from the configuration file only: its variable is ignored and `--set` refuses it.
    package var isFileOnly: Bool { self == .configIgnoreEnvironment }

    package var description: String { name }
}

extension ConfigKey {
    package static let configIgnoreEnvironment = ConfigKey(
        "config.ignore_environment", default: "",
        "Sections (policy, sandbox, run, limits, ... or *) whose SF_* variables are ignored. File only.")
    package static let repoURL = ConfigKey(
        "repo.url", default: "",
        "URL or path of the scripts repository (path, file://, git://, http(s)://, ssh://, user@host:path). Required.")
    package static let repoRef = ConfigKey(
        "repo.ref", default: "main", "Ref to run: a full 40-hex commit id, a tag, a branch, or a refs/... name.")
    package static let cacheDir = ConfigKey(
        "cache.dir", default: "/var/cache/sf-agent",
        "Directory holding the bare repository cache and read-only checkouts.")
    package static let workDir = ConfigKey(
        "work.dir", default: "/workspace", "Parent of each job's working directory (<work.dir>/<JOB_ID>).")
    package static let outputDir = ConfigKey(
        "output.dir", default: "/output", "Parent of each job's output folder: logs, artifacts archive, result.json.")
    package static let scriptsDir = ConfigKey(
        "scripts.dir", default: "", "Folder inside the repository that holds the scripts; empty means the top.")
    package static let scriptsExtensions = ConfigKey(
        "scripts.extensions", default: "ps1,py,sh", "Extensions tried in order when resolving <SCRIPT_ID>.")
    package static let interpreterPs1 = ConfigKey(
        "interpreter.ps1", default: "pwsh -NoProfile -NonInteractive -File", "Command that runs .ps1 scripts.")
    package static let interpreterPy = ConfigKey(
        "interpreter.py", default: "python3", "Command that runs .py scripts.")
    package static let interpreterSh = ConfigKey(
        "interpreter.sh", default: "bash", "Command that runs .sh scripts.")
    package static let policyAllowedRepos = ConfigKey(
        "policy.allowed_repos", default: "", "Glob patterns the repository URL must match; empty allows any.")
    package static let policyAllowedRefs = ConfigKey(
        "policy.allowed_refs", default: "", "Glob patterns a job's SCRIPTS_REF must match; empty forbids SCRIPTS_REF.")
    package static let policyRequirePinnedCommit = ConfigKey(
        "policy.require_pinned_commit", default: "false", "Refuse any ref that is not a full 40-hex commit id.")
    package static let policyAllowedScripts = ConfigKey(
        "policy.allowed_scripts", default: "", "Glob patterns over SCRIPT_ID (deploy/*, repro-*); empty allows nothing."
    )
    package static let policyScriptDigests = ConfigKey(
        "policy.script_digests", default: "",
        "File of `<sha256>  <path>` lines (sha256sum format): a script runs only if its content matches its line; empty: no check."
    )
    package static let runUser = ConfigKey(
        "run.user", default: "runner", "User the script runs as when the agent is root: a name or uid:gid.")
    package static let runTimeout = ConfigKey(
        "run.timeout", default: "1h", "Wall-clock limit for the script (e.g. 90s, 30m, 2h).")
    package static let runKillGrace = ConfigKey(
        "run.kill_grace", default: "5s",
        "Time between SIGTERM and SIGKILL when the script is stopped; a container's stop timeout must exceed it plus archiving."
    )
    package static let runPath = ConfigKey(
        "run.path", default: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "PATH given to the script, also used to find the interpreters.")
    package static let envPassthrough = ConfigKey(
        "env.passthrough", default: "", "Names of agent environment variables passed on to the script.")
    package static let limitsCPUSeconds = ConfigKey(
        "limits.cpu_seconds", default: "3600",
        "CPU seconds per process (RLIMIT_CPU: SIGXCPU, SIGKILL 5 s later), or unlimited.")
    package static let limitsMemoryBytes = ConfigKey(
        "limits.memory_bytes", default: "8G",
        "Address space per process (RLIMIT_AS); K, M, G, T suffixes, or unlimited.")
    package static let limitsProcesses = ConfigKey(
        "limits.processes", default: "512", "Processes and threads of the script's uid (RLIMIT_NPROC), or unlimited.")
    package static let limitsOpenFiles = ConfigKey(
        "limits.open_files", default: "1024", "Open descriptors per process (RLIMIT_NOFILE), or unlimited.")
    package static let limitsFileBytes = ConfigKey(
        "limits.file_bytes", default: "8G", "Largest file a process may write (RLIMIT_FSIZE: SIGXFSZ), or unlimited.")
    package static let sandboxReadPaths = ConfigKey(
        "sandbox.read_paths", default: "/usr,/bin,/sbin,/lib,/lib32,/lib64,/etc,/opt,/proc",
        "Paths the script may read and execute besides its checkout (Landlock).")
    package static let sandboxWritePaths = ConfigKey(
        "sandbox.write_paths", default: "",
        "Paths the script may also write (Landlock; file modes still apply), for tools with a fixed location.")
    package static let sandboxShm = ConfigKey(
        "sandbox.shm", default: "auto",
        "The job's /dev/shm: auto (its own tmpfs where possible), container (else the container's own), none.")
    package static let sandboxShmSize = ConfigKey(
        "sandbox.shm_size", default: "64M",
        "Size of the job's own /dev/shm (POSIX shared memory and semaphores); K, M, G suffixes.")
    package static let sandboxNetwork = ConfigKey(
        "sandbox.network", default: "host",
        "host: the script uses the network; none: no socket but netlink (seccomp), in a namespace when root.")
    package static let sandboxRequire = ConfigKey(
        "sandbox.require", default: "",
        "Layers that must apply or the job is refused: landlock, seccomp, network, user, containment.")
    package static let artifactsCompression = ConfigKey(
        "artifacts.compression", default: "gzip", "Compression of the artifacts archive: gzip, zstd or none.")
    package static let artifactsLevel = ConfigKey(
        "artifacts.level", default: "", "Compression level (gzip 1-9, zstd 1-19); empty: the filter's default.")
    package static let artifactsThreads = ConfigKey(
        "artifacts.threads", default: "0",
        "zstd worker threads (the bytes are the same for any number); 0: one per CPU.")
    package static let artifactsMaxBytes = ConfigKey(
        "artifacts.max_bytes", default: "0",
        "Most bytes of artifact files (before compression), e.g. 2GiB; 0: no limit.")
    package static let artifactsMaxFiles = ConfigKey(
        "artifacts.max_files", default: "0", "Most artifact entries (files, directories, symlinks); 0: no limit.")
    package static let artifactsScanSecrets = ConfigKey(
        "artifacts.scan_secrets", default: "warn", "Search text artifacts for secret values: off, warn or fail.")
    package static let outputOwner = ConfigKey(
        "output.owner", default: "",
        "uid:gid given the job's output folder and files, so the host can read them; empty: the agent's.")
    package static let outputFormat = ConfigKey(
        "output.format", default: "plain",
        "Live stream on the agent's stdout/stderr: plain, timestamped or json (one object per line).")
    package static let outputMaxLogBytes = ConfigKey(
        "output.max_log_bytes", default: "0",
        "Cap of each log file (head and tail kept, with a marker), e.g. 1MiB; 0: no cap.")
    package static let outputKeepAttempts = ConfigKey(
        "output.keep_attempts", default: "0",
        "Attempts of a JOB_ID that `sf-agent gc` keeps, the latest included (oldest removed first); 0: every attempt.")
    package static let reportURL = ConfigKey(
        "report.url", default: "", "http(s) URL that receives the result as a JSON POST; empty: no report.")
    package static let reportTokenFile = ConfigKey(
        "report.token_file", default: "", "File holding the bearer token sent with the report (never given to scripts)."
    )
    package static let reportAttempts = ConfigKey(
        "report.attempts", default: "3", "Most attempts to deliver the report (backoff 0.5s, 1s, 2s, ... up to 8s).")
    package static let reportTimeout = ConfigKey(
        "report.timeout", default: "10s", "Time limit of each report attempt, connection included.")
    package static let reportCAFile = ConfigKey(
        "report.ca_file", default: "", "PEM bundle of the CAs trusted for an https report.url; empty: the system's.")
    package static let secretsDir = ConfigKey(
        "secrets.dir", default: "", "Directories whose files are secrets, one per file (comma-separated); empty: none.")
    package static let secretsExpose = ConfigKey(
        "secrets.expose", default: "env", "How a script gets its secrets: env (variables) or files (SF_SECRETS_DIR).")
    package static let secretsEnvPrefix = ConfigKey(
        "secrets.env_prefix", default: "SECRET_",
        "Prefix of the variable named after each secret file (secrets.expose = env).")
    package static let secretsAllow = ConfigKey(
        "secrets.allow", default: "", "SCRIPT_GLOB:SECRET_GLOB rules choosing which secrets a script gets; empty: all.")
    package static let secretsFilesDir = ConfigKey(
        "secrets.files_dir", default: "/run/sf-agent/secrets",
        "Parent of each job's private secrets folder (secrets.expose = files).")

    package static let repoFetchTimeout = ConfigKey(
        "repo.fetch_timeout", default: "5m", "Wall-clock limit for one fetch attempt (connect, negotiate, download).")
    package static let repoFetchAttempts = ConfigKey(
        "repo.fetch_attempts", default: "3",
        "Attempts in all for a fetch that fails transiently (refused, reset, 5xx, timeout).")
    package static let repoTokenFile = ConfigKey(
        "repo.token_file", default: "", "File holding an HTTP token or user:password for the repository.")
    package static let repoSSHKeyFile = ConfigKey(
        "repo.ssh_key_file", default: "", "Private SSH key (ed25519 or ecdsa) for ssh:// and user@host:path URLs.")
    package static let repoSSHKnownHosts = ConfigKey(
        "repo.ssh_known_hosts", default: "", "Pinned SSH host keys (known_hosts format); required for SSH.")
    package static let repoCAFile = ConfigKey(
        "repo.ca_file", default: "", "PEM CA bundle trusted for HTTPS instead of the system CAs.")
    package static let repoSubmodules = ConfigKey(
        "repo.submodules", default: "notice", "A commit with .gitmodules: notice (run, say so) or refuse.")
    package static let cacheLockTimeout = ConfigKey(
        "cache.lock_timeout", default: "10m", "How long to wait for another agent's lock on the shared cache.")
    package static let cacheKeepDays = ConfigKey(
        "cache.keep_days", default: "14", "sf-agent gc removes checkouts not used for this many days.")
    package static let cacheMaxBytes = ConfigKey(
        "cache.max_bytes", default: "0",
        "sf-agent gc removes least recently used checkouts beyond this size (K/M/G; 0: no limit).")
    package static let policyRequireAncestorOf = ConfigKey(
        "policy.require_ancestor_of", default: "",
        "A branch (refs/heads/main) the commit must be reachable from, as just fetched.")
    package static let policyVerifySignatures = ConfigKey(
        "policy.verify_signatures", default: "off", "Signature required: off, commit, tag or either.")
    package static let policyAllowedSigners = ConfigKey(
        "policy.allowed_signers", default: "", "SSH allowed_signers file for signature checks (ssh-keygen -Y verify).")
    package static let policyGPGKeyring = ConfigKey(
        "policy.gpg_keyring", default: "", "OpenPGP keyring for signature checks (gpgv).")
    package static let policyImmutableTags = ConfigKey(
        "policy.immutable_tags", default: "true", "Refuse a tag the cache has seen at another commit (a moved tag).")

    /// Every key, in the order of `agent.conf.example`.
    package static let all: [ConfigKey] = [
        .configIgnoreEnvironment,
        .repoURL, .repoRef, .cacheDir, .workDir, .outputDir, .scriptsDir, .scriptsExtensions,
        .interpreterPs1, .interpreterPy, .interpreterSh,
        .policyAllowedRepos, .policyAllowedRefs, .policyRequirePinnedCommit, .policyAllowedScripts,
        .policyScriptDigests,
        .runUser, .runTimeout, .runKillGrace, .runPath, .envPassthrough,
        .limitsCPUSeconds, .limitsMemoryBytes, .limitsProcesses, .limitsOpenFiles, .limitsFileBytes,
        .sandboxReadPaths, .sandboxWritePaths, .sandboxShm, .sandboxShmSize, .sandboxNetwork, .sandboxRequire,
        .artifactsCompression,
        .artifactsLevel, .artifactsThreads, .artifactsMaxBytes, .artifactsMaxFiles, .artifactsScanSecrets,
        .outputOwner, .outputFormat, .outputMaxLogBytes, .outputKeepAttempts,
        .secretsDir, .secretsExpose, .secretsEnvPrefix, .secretsAllow, .secretsFilesDir,
        .repoFetchTimeout, .repoFetchAttempts, .repoTokenFile, .repoSSHKeyFile, .repoSSHKnownHosts, .repoCAFile,
        .repoSubmodules, .cacheLockTimeout, .cacheKeepDays, .cacheMaxBytes,
        .policyRequireAncestorOf, .policyVerifySignatures, .policyAllowedSigners, .policyGPGKeyring,
        .policyImmutableTags,
        .reportURL, .reportTokenFile, .reportAttempts, .reportTimeout, .reportCAFile,
    ]

    /// The key with this dotted name, if there is one.
    package static func named(_ name: String) -> ConfigKey? {
        all.first { $0.name == name }
    }

    /// The key naming the interpreter of scripts with this extension
    /// (``interpreterPy`` for `py`), if there is one.
    package static func interpreter(forExtension fileExtension: String) -> ConfigKey? {
        named("interpreter." + fileExtension)
    }
}
