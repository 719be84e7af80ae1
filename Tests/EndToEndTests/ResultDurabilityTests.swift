import Foundation
import TestSupport
import Testing

/// `result.json` is published last and never ahead of what it describes on
/// disk: the agent's own system calls (strace) show one `syncfs` of the
/// output file system after every other file of the folder is in place and
/// before `result.json` is renamed into it, then the folder flushed.
@Suite(.requiresRoot) struct ResultDurabilityTests {
    @Test func resultJsonIsRenamedOnlyAfterOneFlushOfEverythingElse() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["make.sh": #"echo built; echo data > "$SF_ARTIFACTS_DIR/out.txt""#])
        let trace = world.root + "/strace"
        let run = try world.agent(
            job: ["JOB_ID": "durable", "SCRIPT_ID": "make"],
            launcher: [
                "/usr/bin/strace", "-f", "-qq", "-e", "trace=syncfs,fsync,fdatasync,rename,renameat,renameat2", "-o",
                trace,
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try world.result("durable")["status"] as? String == "succeeded")
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map(String.init)
        let folder = world.outputFolder("durable")
        func index(of predicate: (String) -> Bool, _ what: String) throws -> Int {
            let found = calls.firstIndex(where: predicate)
            return try #require(found, "no \(what) in:\n\(calls.joined(separator: "\n"))")
        }
        let result = try index(
            of: { $0.contains("rename") && $0.contains("\"\(folder)/result.json\"") }, "rename to result.json")
        // The last flush before it (a cold job's checkout has one of its own).
        let flush = try #require(
            calls[..<result].lastIndex { $0.contains("syncfs(") }, "no syncfs before result.json was renamed")
        for name in ["artifacts.tar.gz", "manifest.json", "provenance.json"] {
            let published = try index(
                of: { $0.contains("rename") && $0.contains("\"\(folder)/\(name)\"") }, "rename to \(name)")
            #expect(published < flush, "\(name) was published after the flush that result.json relies on")
        }
        let folderFlush = calls[(result + 1)...].contains { $0.contains("fsync(") }
        #expect(folderFlush, "the folder was not flushed after the rename of result.json")
    }
}
