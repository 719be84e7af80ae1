import AgentSystem
import ConfigKeys

#if canImport(Glibc)
import Glibc
#endif

/// Checks one signature with the system's tools: SSH signatures with
/// `ssh-keygen -Y find-principals` then `-Y verify` against
/// `policy.allowed_signers`, OpenPGP ones with `gpgv --status-fd 1`
/// against `policy.gpg_keyring`. Each tool runs through ``HelperProcess``:
/// an argv, a minimal environment, a timeout; the signature and the
/// signed bytes go through files in a private temporary folder.
struct SignatureVerifier {
    /// What one check found.
    enum Verdict: Equatable {
        case verified(VerifiedSignature)
        /// Not acceptable, with the reason in words.
        case refused(String)
    }

    var allowedSigners: String?
    var gpgKeyring: String?
    var timeout: Duration

    init(_ requirements: RefRequirements) {
        allowedSigners = requirements.allowedSigners
        gpgKeyring = requirements.gpgKeyring
        timeout = requirements.toolTimeout
    }

    /// Verifies `signed` (carried by `object`), or says why not.
    /// - Throws: ``SourceError`` `.verificationFailed` when a tool cannot be run or times out.
    func verify(_ signed: SignedPayload, object: VerifiedSignature.Object) throws(SourceError) -> Verdict {
        switch SignatureFormat.of(signed.signature) {
        case nil:
            return .refused("its signature is in a format the agent cannot check (only SSH and OpenPGP are)")
        case .ssh?:
            guard let allowedSigners else {
                return .refused("it is an SSH signature, and \(ConfigKey.policyAllowedSigners) is not set")
            }
            return try withFiles(signed) { (folder) throws(SourceError) in
                try verifySSH(folder: folder, allowedSigners: allowedSigners, object: object)
            }
        case .gpg?:
            guard let gpgKeyring else {
                return .refused("it is an OpenPGP signature, and \(ConfigKey.policyGPGKeyring) is not set")
            }
            return try withFiles(signed) { (folder) throws(SourceError) in
                try verifyGPG(folder: folder, keyring: gpgKeyring, object: object)
            }
        }
    }

    private func verifySSH(folder: String, allowedSigners: String, object: VerifiedSignature.Object) throws(SourceError)
        -> Verdict
    {
        let signature = Path.join(folder, "signature")
        let tool = try Self.locate("ssh-keygen")
        let found = try run(tool, ["-Y", "find-principals", "-s", signature, "-f", allowedSigners], stdin: nil)
        let principals = SignatureToolOutput.principals(found.stdoutText)
        guard found.exitCode == 0, !principals.isEmpty else {
            return .refused(
                "its SSH key is not in \(ConfigKey.policyAllowedSigners) (\(allowedSigners))" + Self.detail(found))
        }
        var last = found
        for principal in principals.prefix(16) {
            let checked = try run(
                tool, ["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", "git", "-s", signature],
                stdin: Path.join(folder, "payload"))
            if checked.exitCode == 0,
                let key = SignatureToolOutput.sshKey(checked.stdoutText + "\n" + checked.stderrText)
            {
                return .verified(VerifiedSignature(object: object, format: .ssh, signer: principal, key: key))
            }
            last = checked
        }
        return .refused(
            "ssh-keygen -Y verify did not accept it for \(principals.joined(separator: ", "))" + Self.detail(last))
    }

    private func verifyGPG(folder: String, keyring: String, object: VerifiedSignature.Object) throws(SourceError)
        -> Verdict
    {
        let home = Path.join(folder, "gnupg")
        do throws(SystemError) { try FileSystem.makeDirectory(home, mode: 0o700) } catch {
            throw SourceError(.verificationFailed, "Cannot prepare a folder for gpgv: \(error).")
        }
        let checked = try run(
            try Self.locate("gpgv"),
            ["--homedir", home, "--keyring", keyring, "--status-fd", "1", Path.join(folder, "signature"), "-"],
            stdin: Path.join(folder, "payload"))
        switch SignatureToolOutput.gpgVerdict(checked.stdoutText) {
        case .good(let userID, let fingerprint) where checked.exitCode == 0:
            return .verified(VerifiedSignature(object: object, format: .gpg, signer: userID, key: fingerprint))
        case .good:
            return .refused(
                "gpgv exited with \(checked.exitCode.map(String.init) ?? "a signal")" + Self.detail(checked))
        case .refused(let reason):
            return .refused(reason)
        }
    }

    private func run(_ tool: String, _ arguments: [String], stdin: String?) throws(SourceError) -> HelperProcess.Outcome
    {
        let outcome: HelperProcess.Outcome
        do throws(SystemError) {
            outcome = try HelperProcess.run(tool, arguments: arguments, stdinFile: stdin, timeout: timeout)
        } catch {
            throw SourceError(.verificationFailed, "Cannot run \(tool) to check a signature: \(error).")
        }
        if outcome.timedOut {
            throw SourceError(
                .verificationFailed,
                "\(tool) did not finish checking a signature within \(timeout.milliseconds / 1000) s; it was stopped.")
        }
        return outcome
    }

    /// Writes `signature` and `payload` into a fresh private folder, calls `body`, removes the folder.
    private func withFiles(_ signed: SignedPayload, _ body: (String) throws(SourceError) -> Verdict) throws(SourceError)
        -> Verdict
    {
        let folder: String
        do throws(SystemError) { folder = try FileSystem.makeTemporaryDirectory(prefix: "sf-agent-verify-") } catch {
            throw SourceError(.verificationFailed, "Cannot create a temporary folder to check a signature: \(error).")
        }
        defer { try? FileSystem.removeTree(folder) }
        do throws(SystemError) {
            try FileSystem.writeAtomically(signed.signature, to: Path.join(folder, "signature"))
            try FileSystem.writeAtomically(signed.payload, to: Path.join(folder, "payload"))
        } catch {
            throw SourceError(.verificationFailed, "Cannot write a signature to check: \(error).")
        }
        return try body(folder)
    }

    /// The tool in /usr/bin or /bin.
    static func locate(_ name: String) throws(SourceError) -> String {
        for directory in ["/usr/bin", "/bin"] where system_access(Path.join(directory, name), X_OK) == 0 {
            return Path.join(directory, name)
        }
        let package = name == "gpgv" ? "gpgv" : "openssh-client"
        throw SourceError(
            .verificationFailed,
            "Cannot check signatures: \(name) is not installed (/usr/bin/\(name)); install the Debian package \(package)."
        )
    }

    /// `: <the tool's stderr>` when it said something.
    private static func detail(_ outcome: HelperProcess.Outcome) -> String {
        let text = outcome.stderrText
        return text.isEmpty ? "" : ": " + text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
