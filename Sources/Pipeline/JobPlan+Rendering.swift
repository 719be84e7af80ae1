import AgentConfig
import ConfigKeys
import Launch

extension JobPlan {
    /// A human-readable summary of the plan, one fact per line.
    package func rendered() -> String {
        let groups = user.groups.map(String.init).joined(separator: ",")
        let who = "\(user.name ?? "uid \(user.uid)") (uid \(user.uid), gid \(user.gid), groups \(groups))"
        var refLine = "\(ref) -> \(resolved.commit)"
        if let tag = resolved.tagObject { refLine += " (annotated tag \(tag))" }
        var lines = [
            "job          \(job.jobID)",
            "repository   \(repository)",
            "ref          \(refLine)\(resolved.fetched ? "" : " (from cache, no fetch)")",
            "checkout     \(checkout.path)",
            "script       \(script.relativePath) (sha256 \(scriptSHA256))",
            "argv         \(argv.map(Self.displayQuoted).joined(separator: " "))",
            "user         \(who)\(switchUser ? "" : " (the agent's own user)")",
            "work dir     \(workDirectory)",
            "timeout      \(Self.display(timeout)), kill grace \(Self.display(killGrace))",
            "environment  \((Set(environment.keys).union(secretVariables)).sorted().joined(separator: " "))",
            "secrets      \(displaySecrets)",
            "landlock     \(sandbox.landlockABI > 0 ? "ABI \(sandbox.landlockABI), \(sandbox.rules.count) rules" : "unavailable")",
            "network      \(sandbox.network.rawValue)",
            "seccomp      \(Self.display(seccomp: sandbox))",
            "limits       \(Self.display(sandbox.limits))",
        ]
        if sandbox.landlockABI > 0 {
            // Every rule, in the order the child applies them (the secrets folder's last).
            let rules = sandbox.rules.map { "landlock     rule \($0.path) (\(Self.display($0.access)))" }
            lines.insert(contentsOf: rules, at: lines.firstIndex { $0.hasPrefix("network ") } ?? lines.endIndex)
        }
        lines += passedRules.map { "rule passed  \($0)" }
        return lines.joined(separator: "\n")
    }

    /// Which secrets the script gets, and how.
    var displaySecrets: String {
        if let secretsFolder { return "files in \(secretsFolder) (SF_SECRETS_DIR)" }
        if !secretVariables.isEmpty { return "variables \(secretVariables.joined(separator: " "))" }
        return "none"
    }

    /// A Landlock rule's rights in words.
    static func display(_ access: LandlockAccess) -> String {
        switch access {
        case .readExecute: return "read, execute"
        case .readWrite: return "read, write, create, remove"
        case [.readFile, .readDir]: return "read"
        default:
            let named: [(LandlockAccess, String)] = [
                (.readFile, "read"), (.readDir, "list"), (.execute, "execute"), (.writeFile, "write"),
                (.truncate, "truncate"), (.ioctlDev, "device ioctl"),
            ]
            let words = named.filter { access.contains($0.0) }.map(\.1)
            return words.isEmpty ? "0x\(String(access.rawValue, radix: 16))" : words.joined(separator: ", ")
        }
    }

    /// Single-quotes an argument for display when it holds anything a shell
    /// would treat specially. Display only: argv never passes through a shell.
    static func displayQuoted(_ argument: String) -> String {
        let plain =
            !argument.isEmpty
            && argument.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                    || "-_./=:,+@%".unicodeScalars.contains($0)
            }
        if plain { return argument }
        return "'" + argument.replacing("'", with: "'\\''") + "'"
    }

    /// The lines `sf-agent check` adds about `config.ignore_environment`:
    /// the locked sections and each variable ignored.
    static func display(_ lock: EnvironmentLock, ignored: [IgnoredVariable]) -> [String] {
        var lines: [String] = []
        if let source = lock.source, !lock.sections.isEmpty {
            lines.append(
                "config       SF_* ignored for \(lock.sections.joined(separator: ", ")) (\(ConfigKey.configIgnoreEnvironment.name), \(source))"
            )
        }
        return lines + ignored.map { "ignored      \($0.variable) (\($0.key.name))" }
    }

    static func display(seccomp sandbox: SandboxPlan) -> String {
        guard sandbox.seccomp else { return "unavailable" }
        let sockets =
            sandbox.sockets == .netlinkOnly
            ? "socket(2) refused but netlink, socketpair(2) stream and seqpacket only, " : ""
        return sockets + "io_uring refused, TIOCSTI, TIOCLINUX denied"
    }

    static func display(_ limits: ResourceLimits) -> String {
        func show(_ value: UInt64?) -> String { value.map(String.init) ?? "unlimited" }
        return
            "cpu \(show(limits.cpuSeconds)) s, memory \(show(limits.memoryBytes)) B, processes \(show(limits.processes)), "
            + "open files \(show(limits.openFiles)), file size \(show(limits.fileBytes)) B, core 0"
    }

    static func display(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
