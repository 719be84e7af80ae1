/// One scalar a job parameter may hold. Numbers keep their JSON spelling so
/// `1.50` reaches the script as `1.50`, not as `1.5`.
package enum ParameterScalar: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
}

/// A job parameter's value: a scalar or a flat array of scalars.
package enum ParameterValue: Sendable, Equatable {
    case scalar(ParameterScalar)
    case array([ParameterScalar])
}

/// The job's parameters in the order `PARAMETERS` lists them.
package struct Parameters: Sendable, Equatable {
    /// Name and value pairs; names are unique.
    package var entries: [(name: String, value: ParameterValue)]
    /// The original JSON text (valid, at most 64 KiB), written for the script as-is.
    package var json: String

    package init(entries: [(name: String, value: ParameterValue)], json: String) {
        self.entries = entries
        self.json = json
    }

    /// No parameters.
    package static let empty = Parameters(entries: [], json: "{}")

    package static func == (lhs: Parameters, rhs: Parameters) -> Bool {
        lhs.json == rhs.json && lhs.entries.elementsEqual(rhs.entries) { $0.name == $1.name && $0.value == $1.value }
    }
}
