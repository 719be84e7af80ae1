import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A "survivor" of a job for the archiver race (issue #10): a process of
/// uid 10001 (the run user) that, once the archiver opens the artifacts
/// directory or its file `big`, exchanges each directory `dNN` with a
/// symlink `dNN.link` to a vault the job may not read, with
/// `renameat2(RENAME_EXCHANGE)`, in a loop, until it is stopped.
///
/// ```swift
/// let swapper = try LinkSwapper(root: artifacts, vault: vault, pairs: 32, scratch: scratch)
/// try #require(swapper.waitUntilArmed())   // links made, inotify watching
/// …archive…
/// let swaps = swapper.stop()
/// ```
///
/// It waits for `root/big` to exist, makes the links, starts watching, then
/// creates the directory `root/armed` (without opening anything, so that it
/// does not trigger itself): a script can wait for that before it exits.
package final class LinkSwapper {
    private let process: RunningCommand
    private let log: String

    /// Compiles the swapper into `scratch` (once per folder) and starts it as
    /// uid 10001 on `root`, with `pairs` directories `d00`… and `vault` as
    /// the links' target.
    package init(root: String, vault: String, pairs: Int, scratch: String, seconds: Int = 120) throws {
        let binary = try Self.build(in: scratch)
        log = scratch + "/link-swapper.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)  // empty: a new run's output only
        process = try Command.start(
            "/usr/bin/setpriv",
            [
                "--reuid=10001", "--regid=10001", "--clear-groups", "--", binary, root, vault, String(pairs),
                String(seconds),
            ],
            standardOutput: log, standardError: log)
    }

    deinit {
        if process.isRunning { _ = stop() }
    }

    /// Whether it has made its links and is watching (it printed `armed`).
    package func waitUntilArmed(seconds: Double = 120) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if output.contains("armed\n") { return true }
            if !process.isRunning { return false }
            usleep(20_000)
        }
        return false
    }

    /// Stops it and returns how many exchanges it made (0 if it never started).
    @discardableResult
    package func stop() -> Int {
        process.terminate()
        process.waitUntilExit()
        let line = output.split(separator: "\n").first { $0.hasPrefix("swaps ") }
        return line.flatMap { Int($0.dropFirst(6)) } ?? 0
    }

    /// What it printed so far.
    package var output: String {
        (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    }

    /// Compiles the C source into `directory` (which uid 10001 must be able
    /// to traverse) and returns the binary's path.
    static func build(in directory: String) throws -> String {
        let source = directory + "/link-swapper.c"
        let binary = directory + "/link-swapper"
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        try Self.source.write(toFile: source, atomically: true, encoding: .utf8)
        try FixtureTools.run("/usr/bin/cc", ["-O2", "-Wall", "-o", binary, source])
        chmod(binary, 0o755)
        return binary
    }

    private static let source = #"""
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <signal.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/inotify.h>
        #include <sys/stat.h>
        #include <time.h>
        #include <unistd.h>

        static volatile sig_atomic_t stopping = 0;
        static void on_term(int sig) { (void)sig; stopping = 1; }

        int main(int argc, char **argv) {
            if (argc != 5) { fprintf(stderr, "usage: link-swapper ROOT VAULT PAIRS SECONDS\n"); return 2; }
            const char *root = argv[1], *vault = argv[2];
            int pairs = atoi(argv[3]), seconds = atoi(argv[4]);
            struct sigaction action = { 0 };
            action.sa_handler = on_term;
            sigaction(SIGTERM, &action, NULL);
            sigset_t none;  /* a test runner may start it with signals blocked */
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            int dir = -1;
            for (int i = 0; i < seconds * 100 && !stopping; i++) {
                if (dir < 0) dir = open(root, O_PATH | O_DIRECTORY);
                if (dir >= 0 && faccessat(dir, "big", F_OK, AT_SYMLINK_NOFOLLOW) == 0) break;
                usleep(10000);
            }
            if (dir < 0) { perror(root); return 1; }
            char big[4096];
            snprintf(big, sizeof big, "%s/big", root);
            for (int i = 0; i < pairs; i++) {
                char link[64];
                snprintf(link, sizeof link, "d%02d.link", i);
                if (symlinkat(vault, dir, link) != 0 && errno != EEXIST) { perror(link); return 1; }
            }
            int watch = inotify_init1(IN_CLOEXEC);
            if (watch < 0 || inotify_add_watch(watch, root, IN_OPEN | IN_ACCESS) < 0 ||
                inotify_add_watch(watch, big, IN_OPEN | IN_ACCESS) < 0) { perror("inotify"); return 1; }
            if (mkdirat(dir, "armed", 0755) != 0) { perror("armed"); return 1; }
            printf("armed\n");
            fflush(stdout);
            char events[4096];
            if (read(watch, events, sizeof events) <= 0) { printf("swaps 0\n"); return 0; }
            printf("swapping\n");
            fflush(stdout);
            time_t deadline = time(NULL) + seconds;
            long swaps = 0;
            while (!stopping && time(NULL) < deadline) {
                for (int i = 0; i < pairs; i++) {
                    char name[64], link[64];
                    snprintf(name, sizeof name, "d%02d", i);
                    snprintf(link, sizeof link, "d%02d.link", i);
                    if (renameat2(dir, name, dir, link, RENAME_EXCHANGE) == 0) swaps++;
                }
            }
            printf("swaps %ld\n", swaps);
            return 0;
        }
        """#
}
