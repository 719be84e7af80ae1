import ConfigKeys
import Testing

@testable import Launch

@Suite struct InterpreterLocatorTests {
    @Test func findsOnPathAndKeepsArguments() throws {
        let located = try InterpreterLocator.locate(
            ["sh", "-e"], searchPath: "/nonexistent:/usr/bin:/bin", key: .interpreterSh)
        #expect(located.count == 2)
        #expect(located[0].hasSuffix("/sh") && located[0].hasPrefix("/"))
        #expect(located[1] == "-e")
    }

    @Test func absolutePathsMustBeExecutable() throws {
        #expect(try InterpreterLocator.locate(["/bin/sh"], searchPath: "", key: .interpreterSh) == ["/bin/sh"])
        #expect(throws: InterpreterError.self) {
            try InterpreterLocator.locate(["/etc/passwd"], searchPath: "", key: .interpreterSh)
        }
        #expect(throws: InterpreterError.self) {
            try InterpreterLocator.locate(["bin/sh"], searchPath: "/", key: .interpreterSh)
        }
    }

    @Test func missingInterpreterNamesKeyAndPath() {
        #expect {
            try InterpreterLocator.locate(["pwsh-not-installed"], searchPath: "/usr/bin", key: .interpreterPs1)
        } throws: { error in
            let message = (error as? InterpreterError)?.message ?? ""
            return message.contains("interpreter.ps1") && message.contains("/usr/bin")
                && message.contains("pwsh-not-installed")
        }
    }

    @Test func relativePathEntriesAreIgnored() {
        #expect(throws: InterpreterError.self) {
            try InterpreterLocator.locate(["sh"], searchPath: "bin:.", key: .interpreterSh)
        }
    }
}
