import Foundation
import TestSupport
import Testing

@testable import Artifacts

/// Issue #10: a survivor swaps directories of the artifacts for symlinks to
/// a vault while the archiver walks. Each of the two defences alone keeps
/// the vault's token out of the archive; with neither, the race reads it.
@Suite(.serialized, .timeLimit(.minutes(10)), .requiresRoot)
struct ArtifactReaderRaceTests {
    static let runs = 30
    static let runner = ArtifactReader.Identity(uid: 10001, gid: 10001, groups: [10001])

    /// Defence 1 alone: the reader keeps root's privileges (it could read
    /// the vault), but opens everything with openat2 and RESOLVE_NO_SYMLINKS
    /// from its parent's descriptor, so it never enters a swapped-in link.
    @Test func openat2AloneNeverFollowsASwappedLink() throws {
        let race = try SwapRace()
        var skipped = 0
        for run in 0..<Self.runs {
            let outcome = try race.archive(readingAs: nil, run: run)
            #expect(!outcome.leaked, "run \(run): the token is in the archive")
            let summary = try #require(outcome.summary, "run \(run): \(String(describing: outcome.error))")
            skipped += summary.unreadable.count
            for entry in summary.unreadable {
                #expect(entry.path.hasPrefix("d"), "\(entry)")
                #expect(!entry.path.contains("/"), "nothing below a swapped directory is reached: \(entry)")
            }
        }
        #expect(race.swapper.stop() > 0, "the swapper ran")
        #expect(skipped > 0, "some directory was a symlink when the reader came to it, and was reported")
    }

    /// Defence 2 alone: the reader follows links (a test-only switch), but
    /// runs as the job's user, who may not read the vault.
    @Test func theJobsUserAloneKeepsAFollowedLinkOutOfReach() throws {
        let race = try SwapRace()
        var denied = 0
        for run in 0..<Self.runs {
            let outcome = try race.archive(readingAs: Self.runner, followingLinks: true, run: run)
            #expect(!outcome.leaked, "run \(run): the token is in the archive")
            if let summary = outcome.summary {
                denied += summary.unreadable.filter { $0.reason.contains("may not open it") }.count
            }
        }
        #expect(race.swapper.stop() > 0, "the swapper ran")
        #expect(denied > 0, "the reader followed a link into the vault and was refused there")
    }

    /// The control: following links with root's privileges, the race reads
    /// the token, so the two tests above would see a leak if there were one.
    @Test func withNeitherDefenceTheRaceReadsTheToken() throws {
        let race = try SwapRace()
        var leaked = false
        for run in 0..<(Self.runs * 2) where !leaked {
            leaked = try race.archive(readingAs: nil, followingLinks: true, run: run).leaked
        }
        #expect(leaked, "following links as root, some run archived the vault's token")
    }
}
