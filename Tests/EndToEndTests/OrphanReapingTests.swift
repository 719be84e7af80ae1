import Foundation
import TestSupport
import Testing

/// Orphans a job leaves while it still runs are reaped by the agent (a child
/// subreaper) as it goes, not only when the job ends: a long job that keeps
/// double-forking must not fill the process table with zombies.
@Suite(.requiresRoot, .timeLimit(.minutes(10))) struct OrphanReapingTests {
    @Test func zombiesDoNotPileUpWhileTheJobRuns() throws {
        let world = try AgentWorld()
        defer { world.remove() }
        try world.commit([
            "orphans.sh": """
            agent=$(awk '/^PPid:/ {print $2}' /proc/$$/status)
            for i in 1 2 3 4 5 6 7 8; do ( sh -c 'exit 0' & ) ; done
            sleep 4
            zombies=0
            for stat in /proc/[0-9]*/stat; do
              read -r pid comm state ppid rest < "$stat" 2>/dev/null || continue
              if [ "$state" = Z ] && [ "$ppid" = "$agent" ]; then zombies=$((zombies + 1)); fi
            done
            echo "zombies of the agent: $zombies"
            """
        ])
        let run = try world.agent(job: ["JOB_ID": "orphans", "SCRIPT_ID": "orphans"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try world.readOutput("orphans", "stdout.log") == "zombies of the agent: 0\n")
    }
}
