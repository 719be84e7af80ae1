import AgentSystem
import JobInput
import Launch

/// Fuzzes `JOB_ID`, `SCRIPT_ID` and `SCRIPTS_REF` validation, the whole
/// job read from the environment, `Path.isInside`, and script resolution
/// in a checkout holding hostile links (``CheckoutFixture``).
///
/// Input: a mode byte, then text (or, in odd modes, SCRIPT_ID segments
/// drawn from the fixture's names).
/// Properties:
/// - each validator accepts exactly what ``ReferenceIdentifiers`` does
///   (the README's rules), and returns the value unchanged;
/// - `JobRequest(environment:)` accepts exactly when every variable is
///   valid and `PARAMETERS` is absent, JSON whitespace or accepted;
/// - `Path.isInside` compares bytes;
/// - a SCRIPT_ID accepted and resolved gives a regular file whose real
///   path lies inside the checkout's real path; a refusal is the right one.
enum Harness {
    static func run(_ input: [UInt8]) {
        var reader = FuzzReader(input)
        let mode = reader.byte()
        let value: String
        if mode & 1 == 1 {
            value = (0..<reader.int(in: 1...4)).map { _ in reader.pick(CheckoutFixture.segments) }.joined(
                separator: "/")
        } else {
            value = String(decoding: reader.field(separator: 0), as: UTF8.self)
        }
        let bytes = Array(value.utf8)
        let other = String(decoding: reader.remaining(), as: UTF8.self)

        let jobID = try? JobRequest.validJobID(value)
        Property.expect(
            (jobID != nil) == ReferenceIdentifiers.isJobID(bytes), "JOB_ID \(shown(value))",
            expected: ReferenceIdentifiers.isJobID(bytes), found: jobID as Any)
        let scriptID = try? JobRequest.validScriptID(value)
        Property.expect(
            (scriptID != nil) == ReferenceIdentifiers.isScriptID(bytes), "SCRIPT_ID \(shown(value))",
            expected: ReferenceIdentifiers.isScriptID(bytes), found: scriptID as Any)
        let ref = try? JobRequest.validRef(value)
        Property.expect(
            (ref != nil) == ReferenceIdentifiers.isRef(bytes), "SCRIPTS_REF \(shown(value))",
            expected: ReferenceIdentifiers.isRef(bytes), found: ref as Any)
        for accepted in [jobID, scriptID, ref].compactMap({ $0 }) {
            Property.expect(accepted.utf8.elementsEqual(bytes), "an accepted identifier is returned unchanged")
        }
        Property.expect((try? JobRequest.validRef(nil)) == .some(nil), "no SCRIPTS_REF is no ref")

        checkEnvironment(value: value, other: other)
        let otherBytes = Array(other.utf8)
        let inside = Path.isInside(value, directory: other)
        Property.expect(
            inside == ReferenceIdentifiers.isInside(bytes, directory: otherBytes),
            "Path.isInside(\(shown(value)), \(shown(other)))",
            expected: ReferenceIdentifiers.isInside(bytes, directory: otherBytes), found: inside)

        if let scriptID { ResolutionCheck.run(scriptID: scriptID, choice: mode >> 1) }
    }

    /// A whole job from the environment, each variable taken from the input.
    static func checkEnvironment(value: String, other: String) {
        let environment = ["JOB_ID": "job-1", "SCRIPT_ID": value, "PARAMETERS": other, "SCRIPTS_REF": "main"]
        let blank = ReferenceIdentifiers.isBlankParameters(Array(other.utf8))
        let parsed = blank ? Parameters.empty : try? ParametersParser.parse(other)
        let expected = ReferenceIdentifiers.isScriptID(Array(value.utf8)) && parsed != nil
        do {
            let job = try JobRequest(environment: environment)
            Property.expect(expected, "JobRequest accepted SCRIPT_ID \(shown(value)) with PARAMETERS \(shown(other))")
            Property.expect(
                job.parameters == parsed, "the job's parameters are PARAMETERS parsed", expected: parsed as Any,
                found: job.parameters)
            Property.expect(
                job.scriptID == value && job.jobID == "job-1" && job.ref == "main", "the job keeps its identifiers")
        } catch {
            Property.expect(
                !expected, "JobRequest refused SCRIPT_ID \(shown(value)) with PARAMETERS \(shown(other)): \(error)")
        }
    }
}
