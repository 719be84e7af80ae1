import AgentSystem
import TestSupport
import Testing

@testable import Launch

#if canImport(Glibc)
import Glibc
#endif

/// Resolution against real files and symlinks in a temporary checkout.
@Suite struct ScriptResolverTests {
    /// Removed with the suite instance, after each test.
    let scratch: TemporaryDirectory
    var root: String { scratch.path }

    init() throws {
        scratch = try TemporaryDirectory("sf-agent-resolver")
        try FileSystem.makeDirectories(Path.join(root, "checkout/deploy"))
        try FileSystem.makeDirectories(Path.join(root, "checkout/scripts"))
        try FileSystem.makeDirectories(Path.join(root, "outside"))
        for file in [
            "checkout/deploy/web.py", "checkout/deploy/web.sh", "checkout/deploy/only.sh",
            "checkout/scripts/tool.ps1", "outside/secret.sh",
        ] {
            try FileSystem.writeAtomically(Array("echo\n".utf8), to: Path.join(root, file))
        }
        symlink("../../outside/secret.sh", Path.join(root, "checkout/deploy/escape.sh"))
        symlink("only.sh", Path.join(root, "checkout/deploy/alias.sh"))
        symlink("/etc/passwd", Path.join(root, "checkout/deploy/abs.sh"))
        symlink("missing.sh", Path.join(root, "checkout/deploy/dangling.sh"))
        mkdir(Path.join(root, "checkout/deploy/dir.sh"), 0o755)
    }

    func resolve(_ id: String, dir: String = "", extensions: [String] = ["ps1", "py", "sh"]) throws -> ResolvedScript {
        try ScriptResolver.resolve(
            scriptID: id, checkout: Path.join(root, "checkout"), scriptsDirectory: dir, extensions: extensions)
    }

    @Test func extensionOrderDecides() throws {
        #expect(try resolve("deploy/web").relativePath == "deploy/web.py")
    }

    @Test func configuredOrder() throws {
        #expect(try resolve("deploy/web", extensions: ["sh", "py"]).fileExtension == "sh")
    }

    @Test func scriptsDirectory() throws {
        let script = try resolve("tool", dir: "scripts")
        #expect(script.relativePath == "scripts/tool.ps1")
        #expect(script.path.hasSuffix("/checkout/scripts/tool.ps1"))
    }

    @Test func symlinkInsideIsFollowed() throws {
        #expect(try resolve("deploy/alias").path.hasSuffix("/checkout/deploy/only.sh"))
    }

    @Test(arguments: [
        ("deploy/escape", ScriptResolutionError.Code.escapesCheckout),
        ("deploy/abs", .escapesCheckout),
        ("deploy/dangling", .escapesCheckout),
        ("deploy/dir", .notRegularFile),
        ("deploy/none", .notFound),
    ])
    func refusals(id: String, code: ScriptResolutionError.Code) {
        #expect {
            try resolve(id)
        } throws: { ($0 as? ScriptResolutionError)?.code == code }
    }
}
