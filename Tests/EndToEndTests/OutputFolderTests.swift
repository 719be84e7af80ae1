import Foundation
import TestSupport
import Testing

/// What the agent says when it cannot write its output, and the one rule
/// for the modes of what it does write.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct OutputFolderTests {
    @Test func aReadOnlyOutputVolumeIsNamedAndNoResultPathIsPrinted() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["hello.sh": "echo hello\n"])
        try FileManager.default.createDirectory(atPath: world.output, withIntermediateDirectories: true)
        try Command.check("/bin/mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", world.output])
        defer { _ = try? Command.check("/bin/umount", [world.output]) }
        let run = try world.agent(job: ["JOB_ID": "ro-1", "SCRIPT_ID": "hello"])
        #expect(run.status == 74, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "\(world.output) is on a read-only file system; mount output.dir (\(world.output)) read-write"),
            "\(run.stderr)")
        #expect(run.stderr.contains("No result.json was written"), "\(run.stderr)")
        #expect(!run.stderr.contains("result: "), "no path of a result that does not exist: \(run.stderr)")
        #expect(!run.stderr.contains("No such file or directory"), "\(run.stderr)")
        #expect(!run.stdout.contains("hello"), "nothing ran")
        #expect(!FileManager.default.fileExists(atPath: world.outputFolder("ro-1")))
    }

    @Test func anOutputFolderTheAgentsUidMayNotWriteIsNamedWithTheUid() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["hello.sh": "echo hello\n"])
        try world.prepareForNonRootAgent()
        try Command.check("/bin/chown", ["0:0", world.output])
        chmod(world.output, 0o755)
        let run = try world.agent(
            job: ["JOB_ID": "denied-1", "SCRIPT_ID": "hello"], launcher: AgentWorld.nonRootLauncher)
        #expect(run.status == 74, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "permission denied: the agent runs as uid 10001 (gid 10001), and \(world.output) is owned by uid 0 (gid 0) with mode 0755"
            ),
            "\(run.stderr)")
        #expect(!run.stderr.contains("result: "), "\(run.stderr)")
        #expect(!run.stdout.contains("hello"), "nothing ran")
    }

    @Test func everyFileOfTheJobFolderIs0644AndEveryFolder0755() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["hello.sh": #"echo out; echo err >&2; echo a > "$SF_ARTIFACTS_DIR/a.txt""#])
        // A restrictive umask must not narrow them either (the folders the
        // script itself needs are made beforehand: only the job folder counts here).
        for directory in [world.work, world.cache, world.output] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            chmod(directory, 0o755)
        }
        for attempt in 1...2 {
            let job = try world.agent(
                job: ["JOB_ID": "modes", "SCRIPT_ID": "hello"],
                launcher: ["/bin/sh", "-c", "umask 077; exec \"$@\"", "sh"])
            #expect(job.status == 0, "attempt \(attempt): \(job.stderr)")
        }
        let folder = world.outputFolder("modes")
        var seen: [String] = []
        for path in [""] + (try FileManager.default.subpathsOfDirectory(atPath: folder)) {
            var info = stat()
            #expect(lstat(folder + "/" + path, &info) == 0)
            let expected: mode_t = (info.st_mode & S_IFMT) == S_IFDIR ? 0o755 : 0o644
            #expect(info.st_mode & 0o7777 == expected, "\(path): \(String(info.st_mode & 0o7777, radix: 8))")
            seen.append(path)
        }
        #expect(
            seen.contains("stdout.log") && seen.contains("attempts/1/stderr.log") && seen.contains("result.json"),
            "\(seen)")
    }
}
