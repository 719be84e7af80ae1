import Foundation
import TestSupport
import Testing

/// What the script's process is: no privileges to regain, no descriptor
/// or terminal to abuse, no signal to the agent.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct SandboxProcessTests {
    static let probe = """
        import ctypes, errno, os, subprocess, sys
        out = open(os.path.join(os.environ["SF_ARTIFACTS_DIR"], "probe.txt"), "w")
        status = {l.split(":")[0]: l.split(":", 1)[1].strip() for l in open("/proc/self/status")}
        for key in ("NoNewPrivs", "CapEff", "CapPrm", "CapAmb", "Groups", "Uid"):
            print(f"{key}={status[key]}", file=out)
        def is_open(fd):
            try: os.fstat(fd); return True
            except OSError: return False
        print("fds=" + " ".join(str(fd) for fd in range(4096) if is_open(fd) and fd != out.fileno()), file=out)
        libc = ctypes.CDLL(None, use_errno=True)
        for name, request in (("tiocsti", 0x5412), ("tiocsti_high", 0x5412 | (1 << 32)), ("tioclinux", 0x541C)):
            ch = ctypes.c_char(b"x")
            rc = libc.syscall(16, 0, ctypes.c_ulong(request), ctypes.byref(ch))
            print(f"{name}={errno.errorcode.get(ctypes.get_errno(), rc) if rc < 0 else 'ok'}", file=out)
        print("suid=" + subprocess.run([sys.argv[-1], "-u"], capture_output=True, text=True).stdout.strip(), file=out)
        try:
            os.kill(os.getppid(), 0); print("signal_agent=ok", file=out)
        except OSError as e:
            print(f"signal_agent={errno.errorcode[e.errno]}", file=out)
        print("tmpdir=" + os.environ.get("TMPDIR", ""), file=out)
        import tempfile
        with tempfile.NamedTemporaryFile(dir=None) as f: print("tmpfile=" + f.name, file=out)
        """

    func probe(launcher: [String], jobID: String, prepare: (AgentWorld) throws -> Void) throws -> [String: String] {
        let world = try AgentWorld()
        defer { world.remove() }
        try prepare(world)
        try world.commit(["probe.py": Self.probe])
        // A setuid-root copy of id(1), in a path the script may execute.
        let suid = world.root + "/suid"
        try FileManager.default.createDirectory(atPath: suid, withIntermediateDirectories: true)
        try Command.check("/bin/cp", ["/usr/bin/id", suid + "/id"])
        try Command.check("/bin/chmod", ["4755", suid + "/id"])
        let readPaths = "/usr,/bin,/lib,/lib64,/etc,/proc,\(suid)"
        let run = try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "probe", "PARAMETERS": #"{"suid": "\#(suid)/id"}"#],
            settings: ["sandbox.read_paths": readPaths], launcher: launcher)
        #expect(run.status == 0, "\(run.stderr)")
        try world.validateResult(jobID)
        let text = try String(contentsOfFile: try world.extractArtifacts(jobID) + "/probe.txt", encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            values[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        let sandbox = try world.sandbox(jobID)
        #expect(sandbox["no_new_privs"] as? Bool == true)
        #expect(sandbox["seccomp"] as? Bool == true)
        values["work"] = world.work + "/" + jobID
        return values
    }

    func expectConfined(_ values: [String: String]) {
        #expect(values["NoNewPrivs"] == "1")
        #expect(values["CapEff"] == "0000000000000000")
        #expect(values["CapPrm"] == "0000000000000000")
        #expect(values["CapAmb"] == "0000000000000000")
        #expect(!(values["Groups"] ?? "0").split(separator: " ").contains("0"), "no root group: \(values)")
        #expect(values["fds"] == "0 1 2")
        #expect(values["tiocsti"] == "EPERM", "seccomp refuses TIOCSTI (else ENOTTY on /dev/null)")
        #expect(values["tiocsti_high"] == "EPERM", "only the low 32 bits count")
        #expect(values["tioclinux"] == "EPERM")
        #expect(values["suid"] == "10001", "a setuid-root binary gains nothing")
        #expect(values["signal_agent"] == "EPERM", "Landlock scopes signals to the job")
        #expect(values["tmpdir"] == (values["work"] ?? "") + "/.tmp")
        #expect(values["tmpfile"]?.hasPrefix((values["work"] ?? "") + "/.tmp/") == true)
    }

    @Test func theRootAndDropScriptHasNothingToRegain() throws {
        let values = try probe(launcher: [], jobID: "probe-root") { _ in }
        expectConfined(values)
        #expect(values["Uid"]?.split(separator: "\t").allSatisfy { $0 == "10001" } == true)
    }

    @Test func theNonRootAgentsScriptCannotSignalTheAgent() throws {
        let values = try probe(launcher: AgentWorld.nonRootLauncher, jobID: "probe-nonroot") {
            try $0.prepareForNonRootAgent()
        }
        expectConfined(values)
    }
}
