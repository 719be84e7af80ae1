/// A throwaway certificate authority made with the openssl CLI: `ca.pem`
/// (the CA, for a client's trust store) and `server.pem`/`server.key`
/// (a certificate for 127.0.0.1, subjectAltName IP:127.0.0.1 and
/// DNS:localhost, signed by it), valid for one day. Shared by the HTTPS test
/// servers. (libgit2 with mbedTLS 2.28 matches only DNS names: git tests
/// reach the server as `localhost`.)
package struct TestCertificateAuthority {
    /// The folder holding the files.
    package let directory: String
    package var caFile: String { directory + "/ca.pem" }
    package var certificateFile: String { directory + "/server.pem" }
    package var keyFile: String { directory + "/server.key" }

    /// Makes a fresh CA and server certificate in `directory` (which must exist).
    package init(in directory: String) throws {
        self.directory = directory
        try FixtureTools.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n", to: directory + "/ext.cnf")
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try FixtureTools.run(
            "/usr/bin/openssl",
            ["req", "-x509"] + curve + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=sf-agent test CA",
            ], in: directory)
        try FixtureTools.run(
            "/usr/bin/openssl",
            ["req"] + curve + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: directory)
        try FixtureTools.run(
            "/usr/bin/openssl",
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.pem", "-days", "1", "-extfile", "ext.cnf",
            ],
            in: directory)
    }
}
