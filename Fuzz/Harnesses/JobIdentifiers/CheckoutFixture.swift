#if canImport(Glibc)
import Glibc
#endif

/// A small checkout on disk, made once per process, with what a hostile
/// repository may hold: files, a symlink inside, symlinks out (relative,
/// absolute, through a linked folder), a dangling one, a loop, a folder
/// and a FIFO named like scripts.
enum CheckoutFixture {
    /// The folder holding `checkout/` and `outside/`.
    nonisolated(unsafe) static var base = ""

    /// The path segments a fuzzed SCRIPT_ID is built from.
    static let segments = [
        "a", "dir", "b", "c", "sub", "d", "in", "up", "esc", "abs", "dangling", "loop", "dirlink", "outlink", "x",
        "fifo", "z",
    ]
    /// Values of `scripts.dir` to resolve under.
    static let scriptsDirectories = ["", "dir", "dirlink", "outlink", "dir/sub"]

    /// The checkout's path (made on first use).
    static var checkout: String {
        if base.isEmpty { make() }
        return base + "/checkout"
    }

    static func make() {
        base = "/tmp/sf-agent-fuzz-checkout-\(getpid())"
        for folder in ["", "/checkout", "/checkout/dir", "/checkout/dir/sub", "/checkout/dir.sh", "/outside"] {
            mkdir(base + folder, 0o755)
        }
        for file in [
            "checkout/a.sh", "checkout/a.py", "checkout/dir/b.ps1", "checkout/dir/c.sh", "checkout/dir/sub/d.py",
            "outside/x.sh", "outside/c.sh",
        ] {
            let fd = open(base + "/" + file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 { close(fd) }
        }
        let links = [
            ("a.sh", "in.sh"), ("dir/../a.sh", "up.sh"), ("../outside/x.sh", "esc.sh"), ("/etc/hostname", "abs.py"),
            ("missing.sh", "dangling.sh"), ("loop.sh", "loop.sh"), ("dir", "dirlink"), ("../outside", "outlink"),
        ]
        for (target, name) in links { symlink(target, base + "/checkout/" + name) }
        mkfifo(base + "/checkout/fifo.sh", 0o644)
        atexit { CheckoutFixture.removeTree(CheckoutFixture.base) }
    }

    /// `rm -r` without following links (the fixture only).
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { removeTree(path + "/" + name) }
            }
            closedir(directory)
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Whether anything (a dangling link too) is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The canonical path, every link resolved, or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }
}
