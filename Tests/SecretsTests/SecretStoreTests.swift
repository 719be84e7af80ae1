import AgentSystem
import Foundation
import TestSupport
import Testing

@testable import Secrets

/// Secrets directories as Docker, Vault Agent and Kubernetes lay them out.
@Suite struct SecretStoreTests {
    /// Removed with the suite instance, after each test.
    let scratch: TemporaryDirectory
    var root: String { scratch.path }

    init() throws {
        scratch = try TemporaryDirectory("sf-secrets")
    }

    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: Path.parent(of: path), withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func kubernetesVolumeIsReadThroughItsSymlinks() throws {
        let volume = root + "/k8s"
        try write(volume + "/..2026_01_01_00_00_00.123/db_password", "pa55word-k8s\n")
        try write(volume + "/..2026_01_01_00_00_00.123/api_token", "tok-123456")
        try FileManager.default.createSymbolicLink(
            atPath: volume + "/..data", withDestinationPath: "..2026_01_01_00_00_00.123")
        try FileManager.default.createSymbolicLink(
            atPath: volume + "/db_password", withDestinationPath: "..data/db_password")
        try FileManager.default.createSymbolicLink(
            atPath: volume + "/api_token", withDestinationPath: "..data/api_token")
        try write(root + "/docker/registry", "docker-secret\r\n")
        try FileManager.default.createDirectory(atPath: root + "/docker/subdir", withIntermediateDirectories: true)

        let secrets = try SecretStore.read(directories: [volume, root + "/docker"])
        #expect(secrets.map(\.name) == ["api_token", "db_password", "registry"])
        #expect(
            secrets.map { String(decoding: $0.value, as: UTF8.self) } == [
                "tok-123456", "pa55word-k8s", "docker-secret",
            ])
        #expect(secrets[1].contents == Array("pa55word-k8s\n".utf8), "files keep their bytes")
        #expect(secrets[1].path == volume + "/db_password")
    }

    @Test func missingDirectoryAndOversizedSecretAreErrors() throws {
        #expect(throws: SecretsError.self) { try SecretStore.read(directories: [root + "/absent"]) }
        try write(root + "/big/blob", String(repeating: "x", count: SecretStore.maximumSecretBytes + 1))
        do {
            _ = try SecretStore.read(directories: [root + "/big"])
            Issue.record("an oversized secret was accepted")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    /// A secret that cannot be inspected (root never gets EACCES from
    /// `stat`; forced here) fails the read, naming the secret.
    @Test func aSecretThatCannotBeInspectedIsAnError() throws {
        try write(root + "/token", "tok")

        let error = MockingDriver.withMockingEnabled { driver in
            driver.forceErrno(EACCES, on: ["stat"])
            return #expect(throws: SecretsError.self) { try SecretStore.read(directories: [root]) }
        }

        #expect(error?.code == .unreadable)
        #expect(error?.message == "Cannot read secret \(root)/token: cannot inspect \(root)/token: Permission denied.")
    }

    @Test func filesAreWrittenReadOnlyAndRemoved() throws {
        let secrets = [Secret(name: "key.pem", contents: Array("-----BEGIN-----\n".utf8), path: "/x")]
        let folder = try SecretExposure.writeFiles(secrets, into: root + "/run/job-1", owner: nil)
        #expect(try FileSystem.readFile(folder + "/key.pem") == Array("-----BEGIN-----\n".utf8))
        var info = stat()
        #expect(stat(folder, &info) == 0 && info.st_mode & 0o777 == 0o500)
        #expect(stat(folder + "/key.pem", &info) == 0 && info.st_mode & 0o777 == 0o400)
        #expect(SecretExposure.removeFiles(folder) == nil)
        #expect(!FileSystem.exists(folder))
    }
}
