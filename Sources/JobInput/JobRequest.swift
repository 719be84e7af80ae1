/// A job as the runner container receives it, validated.
///
/// ```swift
/// let job = try JobRequest(environment: ["JOB_ID": "j-1", "SCRIPT_ID": "deploy/web"])
/// job.parameters   // .empty
/// ```
package struct JobRequest: Sendable, Equatable {
    /// `JOB_ID`: `[A-Za-z0-9._-]{1,128}`, not `.` or `..`.
    package var jobID: String
    /// `SCRIPT_ID`: a relative path of `[A-Za-z0-9._-]` segments.
    package var scriptID: String
    /// `PARAMETERS`.
    package var parameters: Parameters
    /// `SCRIPTS_REF`, when the job asks for a ref of its own.
    package var ref: String?
    /// `SCRIPTS_COMMIT`: the full commit id (lowercase) the ref must resolve to, when given.
    package var expectedCommit: String?

    /// The variables that carry a job; commands that take the job from
    /// elsewhere (`replay`) drop them from the environment they pass on.
    package static let variables = ["JOB_ID", "SCRIPT_ID", "PARAMETERS", "SCRIPTS_REF", "SCRIPTS_COMMIT"]

    package init(
        jobID: String, scriptID: String, parameters: Parameters = .empty, ref: String? = nil,
        expectedCommit: String? = nil
    ) {
        self.jobID = jobID
        self.scriptID = scriptID
        self.parameters = parameters
        self.ref = ref
        self.expectedCommit = expectedCommit
    }

    /// Reads and validates `JOB_ID`, `SCRIPT_ID`, `PARAMETERS`, `SCRIPTS_REF` and `SCRIPTS_COMMIT`.
    package init(environment: [String: String]) throws(JobInputError) {
        jobID = try Self.validJobID(environment["JOB_ID"])
        scriptID = try Self.validScriptID(environment["SCRIPT_ID"])
        // Only JSON's four whitespace bytes make it blank: `Character.isWhitespace`
        // also took a vertical tab or U+2028 for no parameters at all.
        if let text = environment["PARAMETERS"], !text.utf8.allSatisfy({ [0x20, 0x09, 0x0a, 0x0d].contains($0) }) {
            parameters = try ParametersParser.parse(text)
        } else {
            parameters = .empty
        }
        ref = try Self.validRef(environment["SCRIPTS_REF"])
        expectedCommit = try Self.validCommit(environment["SCRIPTS_COMMIT"])
    }

    /// Checks `SCRIPTS_COMMIT`: a full 40-hex commit id, returned lowercase.
    package static func validCommit(_ value: String?) throws(JobInputError) -> String? {
        guard let value else { return nil }
        guard value.utf8.count == 40,
            value.utf8.allSatisfy({
                (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0)
            })
        else {
            throw JobInputError(
                .scriptsCommit,
                reason: "must be a full commit id: 40 hexadecimal digits, as `git rev-parse HEAD` prints it.")
        }
        return value.lowercased()
    }

    static let maximumScriptIDBytes = 256

    /// Checks `JOB_ID`.
    package static func validJobID(_ value: String?) throws(JobInputError) -> String {
        guard let value, !value.isEmpty else {
            throw JobInputError(
                .jobID,
                reason: "is not set; every job needs an id of 1 to 128 characters from A-Z a-z 0-9 . _ -.")
        }
        guard value.utf8.count <= 128 else {
            throw JobInputError(
                .jobID, reason: "is \(value.utf8.count) bytes long; at most 128 are allowed.")
        }
        if let bad = value.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            throw JobInputError(
                .jobID, reason: "contains \(describe(bad)); only A-Z a-z 0-9 . _ - are allowed.")
        }
        // `.` and `..` are not names, and hidden names in the agent's folders
        // are the agent's own (the job's view of /etc/passwd, temporary files).
        guard !value.hasPrefix(".") else {
            throw JobInputError(.jobID, reason: "may not start with `.`.")
        }
        return value
    }

    /// Checks `SCRIPT_ID`.
    package static func validScriptID(_ value: String?) throws(JobInputError) -> String {
        guard let value, !value.isEmpty else {
            throw JobInputError(
                .scriptID, reason: "is not set; name the script as a relative path such as deploy/web.")
        }
        guard value.utf8.count <= maximumScriptIDBytes else {
            throw JobInputError(
                .scriptID,
                reason: "is \(value.utf8.count) bytes long; at most \(maximumScriptIDBytes) are allowed.")
        }
        guard !value.hasPrefix("/") else {
            throw JobInputError(
                .scriptID, reason: "`\(value)` starts with `/`; it must be relative to the scripts folder.")
        }
        for segment in value.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." {
                throw JobInputError(
                    .scriptID,
                    reason: "`\(value)` has an empty, `.` or `..` segment; use plain names separated by single `/`.")
            }
            if let bad = segment.unicodeScalars.first(where: { !isNameCharacter($0) }) {
                throw JobInputError(
                    .scriptID,
                    reason: "`\(value)` contains \(describe(bad)); segments may use only A-Z a-z 0-9 . _ -.")
            }
        }
        return value
    }

    /// Checks the shape of `SCRIPTS_REF`; policy decides later whether it is allowed.
    package static func validRef(_ value: String?) throws(JobInputError) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty, value.utf8.count <= 255 else {
            throw JobInputError(.scriptsRef, reason: "must be 1 to 255 bytes: a commit id, tag or branch.")
        }
        if let bad = value.unicodeScalars.first(where: { !isNameCharacter($0) && $0 != "/" }) {
            throw JobInputError(
                .scriptsRef, reason: "contains \(describe(bad)); only A-Z a-z 0-9 . _ - / are allowed.")
        }
        return value
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII && scalar.value >= 0x21 && scalar.value < 0x7f { return "`\(Character(scalar))`" }
        return "the character U+" + String(scalar.value, radix: 16, uppercase: true)
    }
}
