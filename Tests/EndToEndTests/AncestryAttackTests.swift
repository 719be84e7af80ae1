import Foundation
import TestSupport
import Testing

/// A repository author who can push branches and tags but not to the
/// protected branch, against `policy.require_ancestor_of`, through the real
/// binary: merges, a branch rewound after a commit ran, and job refs that
/// are revision expressions rather than names.
@Suite(.requiresRoot, .timeLimit(.minutes(5))) struct AncestryAttackTests {
    static let main = ["policy.require_ancestor_of": "refs/heads/main"]

    static func run(_ world: AgentWorld, _ jobID: String, ref: String, _ extra: [String: String] = [:]) throws
        -> Command.Output
    {
        try world.agent(
            job: ["JOB_ID": jobID, "SCRIPT_ID": "hello"],
            settings: main.merging(["repo.ref": ref]) { $1 }.merging(extra) { $1 })
    }

    static func rule(_ world: AgentWorld, _ jobID: String, _ run: Command.Output) throws -> String? {
        #expect(run.status == 77, "\(run.stderr)")
        #expect(!run.stdout.contains("side-ran"))
        try world.validateResult(jobID)
        return (try world.result(jobID)["error"] as? [String: Any])?["rule"] as? String
    }

    /// A base commit on main and a commit on branch `side` (printing `side-ran`), main checked out.
    static func sideCommit(_ world: AgentWorld) throws -> String {
        try world.commit(["hello.sh": "echo base\n"])
        try world.git("checkout", "-q", "-b", "side")
        let side = try world.commit(["hello.sh": "echo side-ran\n"], message: "side")
        try world.git("checkout", "-q", "main")
        return side
    }

    /// A commit reached from main only through a merge's second parent is on main: it runs.
    @Test func aCommitMergedAsASecondParentIsReachable() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let side = try Self.sideCommit(world)
        try world.commit(["other.txt": "x\n"], message: "main moves on")
        #expect(
            try Self.rule(world, "before-merge", try Self.run(world, "before-merge", ref: side))
                == "policy.require_ancestor_of")
        try world.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
        #expect(try world.git("rev-parse", "HEAD^2") == side)
        let merged = try Self.run(world, "second-parent", ref: side)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("side-ran"))
    }

    /// main rewound (force-pushed back) after a commit ran: the commit, now
    /// in the cache, is refused, because main is read again, not remembered.
    @Test func aCommitDroppedFromMainByAForcePushIsRefused() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let base = try world.commit(["hello.sh": "echo base\n"])
        let later = try world.commit(["hello.sh": "echo side-ran\n"], message: "later")
        let ran = try Self.run(world, "on-main", ref: later)
        #expect(ran.status == 0, "\(ran.stderr)")
        try world.git("reset", "-q", "--hard", base)
        #expect(
            try Self.rule(world, "rewound", try Self.run(world, "rewound", ref: later)) == "policy.require_ancestor_of")
    }

    /// Job refs that are revision expressions or option-like: refused as
    /// input before any fetch, even when policy.allowed_refs allows anything.
    @Test(arguments: [
        "side..main", "main@{1}", "main^", "main~1", "main^{tree}", "refs/heads/side:refs/heads/main", "-main",
        "main:hello.sh", "+main",
    ])
    func revisionExpressionsAreNotRefs(ref: String) throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit(["hello.sh": "echo base\n"])
        try world.commit(["hello.sh": "echo side-ran\n"], message: "later")
        let run = try world.agent(
            job: ["JOB_ID": "expression", "SCRIPT_ID": "hello", "SCRIPTS_REF": ref],
            settings: Self.main.merging(["policy.allowed_refs": "*,*/*,*/*/*"]) { $1 })
        #expect(run.status == 77, "\(run.stderr)")
        #expect(!run.stdout.contains("side-ran") && !run.stdout.contains("base"))
        try world.validateResult("expression")
        let error = try #require(try world.result("expression")["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_job", "\(error)")
        let message = try #require(error["message"] as? String)
        #expect(
            message.contains("SCRIPTS_REF") || message.contains("\"\(ref)\" is not a valid git ref name"), "\(message)")
    }

    /// `refs/remotes/...` or a tag named like the protected branch does not
    /// stand in for it: the protected branch is the full name, fetched itself.
    @Test func aLookalikeOfTheProtectedBranchIsNotIt() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        let side = try Self.sideCommit(world)
        try world.git("update-ref", "refs/remotes/origin/main", side)
        try world.git("tag", "main", side)
        try world.git("update-ref", "refs/heads/refs/heads/main", side)
        for (job, ref) in [
            ("remote-main", "refs/remotes/origin/main"), ("tag-main", "main"),
            ("nested-main", "refs/heads/refs/heads/main"),
        ] {
            #expect(
                try Self.rule(world, job, try Self.run(world, job, ref: ref)) == "policy.require_ancestor_of", "\(ref)")
        }
    }
}
