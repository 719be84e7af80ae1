import AgentSystem

/// `provenance.json`: an in-toto Statement v1 whose predicate is SLSA
/// Provenance v1, saying which artifacts one job produced from which
/// script at which commit with which parameters, so a reader can run the
/// same thing again.
///
/// ```swift
/// let statement = ProvenanceStatement(jobID: "job-1", …)
/// try statement.write(into: "/output/job-1")   // provenance.json, atomically
/// ```
///
/// Subjects are the archive and every regular file in it, with SHA-256
/// digests. The build type is `https://setup-factory.example/sf-agent/job/v1`:
/// external parameters are the job's input (parameters masked), resolved
/// dependencies the repository at its commit and the script with its digest.
package struct ProvenanceStatement: Sendable {
    /// The file name beside `result.json`.
    package static let fileName = "provenance.json"
    /// The SLSA build type this agent's provenance follows.
    package static let buildType = "https://setup-factory.example/sf-agent/job/v1"
    /// The builder id prefix (the agent's version follows `@`).
    package static let builderID = "https://setup-factory.example/sf-agent"

    /// One produced file.
    package struct Subject: Sendable, Equatable {
        package var name: String
        package var sha256: String
        package init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    package var jobID: String
    /// Which run of the `JOB_ID` produced the artifacts (result.json's `attempt`).
    package var attempt: Int? = nil
    package var scriptID: String
    package var repository: String
    package var ref: String
    package var commit: String
    package var scriptPath: String
    package var scriptSHA256: String
    /// The job's parameters as a JSON object, secrets masked.
    package var parameters: JSONValue
    /// The exact argv, secrets masked.
    package var argv: [String]
    /// `SF_RUNNER_IMAGE`, when the container sets it.
    package var runnerImage: String?
    package var agentVersion: String
    package var startedAt: String
    package var finishedAt: String
    package var subjects: [Subject]
    /// The annotated tag object the ref named, if it was one.
    package var tag: String?
    /// The signature `policy.verify_signatures` accepted, if on.
    package var signature: JobResult.Source.Signature?

    package init(
        jobID: String, scriptID: String, repository: String, ref: String, commit: String, scriptPath: String,
        scriptSHA256: String, parameters: JSONValue, argv: [String], runnerImage: String?, agentVersion: String,
        startedAt: String, finishedAt: String, subjects: [Subject], tag: String? = nil,
        signature: JobResult.Source.Signature? = nil
    ) {
        self.jobID = jobID
        self.scriptID = scriptID
        self.repository = repository
        self.ref = ref
        self.commit = commit
        self.scriptPath = scriptPath
        self.scriptSHA256 = scriptSHA256
        self.parameters = parameters
        self.argv = argv
        self.runnerImage = runnerImage
        self.agentVersion = agentVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.subjects = subjects
        self.tag = tag
        self.signature = signature
    }

    /// The repository dependency's annotations: the tag object and the
    /// verified signature, when there are any.
    var repositoryAnnotations: [(String, JSONValue)] {
        var annotations: [(String, JSONValue)] = []
        if let tag { annotations.append(("git_tag", .string(tag))) }
        if let signature {
            annotations.append(
                (
                    "signature",
                    .object([
                        ("object", .string(signature.object)), ("format", .string(signature.format)),
                        ("signer", .string(signature.signer)), ("key", .string(signature.key)),
                    ])
                ))
        }
        return annotations.isEmpty ? [] : [("annotations", .object(annotations))]
    }

    /// The statement as a JSON value.
    package var json: JSONValue {
        let repositoryURI = "git+" + repository
        return .object([
            ("_type", .string("https://in-toto.io/Statement/v1")),
            (
                "subject",
                .array(
                    subjects.map {
                        .object([("name", .string($0.name)), ("digest", .object([("sha256", .string($0.sha256))]))])
                    })
            ),
            ("predicateType", .string("https://slsa.dev/provenance/v1")),
            (
                "predicate",
                .object([
                    (
                        "buildDefinition",
                        .object([
                            ("buildType", .string(Self.buildType)),
                            (
                                "externalParameters",
                                .object([
                                    ("repository", .string(repository)),
                                    ("ref", .string(ref)),
                                    ("script_id", .string(scriptID)),
                                    ("parameters", parameters),
                                ])
                            ),
                            (
                                "internalParameters",
                                .object([
                                    ("job_id", .string(jobID)),
                                    ("attempt", attempt.map { .number(String($0)) } ?? .null),
                                    ("argv", .array(argv.map { .string($0) })),
                                    ("runner_image", runnerImage.map { .string($0) } ?? .null),
                                ])
                            ),
                            (
                                "resolvedDependencies",
                                .array([
                                    .object(
                                        [
                                            ("uri", .string("\(repositoryURI)@\(ref)")),
                                            ("digest", .object([("gitCommit", .string(commit))])),
                                            ("name", .string("repository")),
                                        ] + repositoryAnnotations),
                                    .object([
                                        ("uri", .string("\(repositoryURI)@\(commit)#\(scriptPath)")),
                                        ("digest", .object([("sha256", .string(scriptSHA256))])),
                                        ("name", .string("script")),
                                    ]),
                                ])
                            ),
                        ])
                    ),
                    (
                        "runDetails",
                        .object([
                            (
                                "builder",
                                .object([
                                    ("id", .string("\(Self.builderID)@\(agentVersion)")),
                                    ("version", .object([("sf-agent", .string(agentVersion))])),
                                ])
                            ),
                            (
                                "metadata",
                                .object([
                                    ("invocationId", .string(jobID)),
                                    ("startedOn", .string(startedAt)),
                                    ("finishedOn", .string(finishedAt)),
                                ])
                            ),
                        ])
                    ),
                ])
            ),
        ])
    }

    /// Writes `provenance.json` into `directory` atomically, unflushed: the
    /// job's `result.json` flushes it (``ResultWriter``).
    package func write(into directory: String) throws(JobError) {
        do {
            try FileSystem.writeAtomically(
                Array(json.prettyText().utf8), to: Path.join(directory, Self.fileName), mode: 0o644, durability: .none)
        } catch {
            throw JobError(.outputError, "Cannot write provenance.json: \(error).")
        }
    }
}
