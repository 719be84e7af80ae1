import JobInput
import Launch

/// Reads argv back the way a script's option parser would, from the rules
/// in `ArgvBuilder`'s documentation: GNU `--name value` or `--name=-value`;
/// PowerShell `-Name value`, `-Name:-value`, `-Name:$true` / `-Name:$false`.
/// A value never stands alone where an option could be read.
enum ReferenceArgv {
    /// One option and what it carries.
    enum Argument: Equatable {
        case text(name: String, value: String)
        case flag(name: String, value: Bool)
    }

    /// The arguments `argv` holds, or nil when it is not a well-formed list.
    static func read(_ argv: [String], style: ParameterStyle) -> [Argument]? {
        let dash = style == .gnu ? "--" : "-"
        let joiner: Unicode.Scalar = style == .gnu ? "=" : ":"
        var arguments: [Argument] = []
        var index = 0
        while index < argv.count {
            let scalars = Array(argv[index].unicodeScalars)
            let prefix = Array(dash.unicodeScalars)
            guard scalars.count > prefix.count, Array(scalars.prefix(prefix.count)) == prefix else { return nil }
            let body = scalars.dropFirst(prefix.count)
            if let join = body.firstIndex(of: joiner) {
                let name = String(String.UnicodeScalarView(body[..<join]))
                let value = String(String.UnicodeScalarView(body[(join + 1)...]))
                if style == .powershell && (value == "$true" || value == "$false") {
                    arguments.append(.flag(name: name, value: value == "$true"))
                } else {
                    guard value.unicodeScalars.first == "-" else { return nil }
                    arguments.append(.text(name: name, value: value))
                }
                index += 1
            } else {
                guard index + 1 < argv.count, argv[index + 1].unicodeScalars.first != "-" else { return nil }
                arguments.append(.text(name: String(String.UnicodeScalarView(body)), value: argv[index + 1]))
                index += 2
            }
        }
        return arguments
    }

    /// What argv must carry for `parameters`: every non-null scalar in order.
    static func expected(_ parameters: Parameters, style: ParameterStyle) -> [Argument] {
        parameters.entries.flatMap { entry -> [Argument] in
            let scalars: [ParameterScalar]
            switch entry.value {
            case .scalar(let scalar): scalars = [scalar]
            case .array(let items): scalars = items
            }
            return scalars.compactMap { scalar in
                switch scalar {
                case .null: nil
                case .string(let text), .number(let text): .text(name: entry.name, value: text)
                case .bool(let flag):
                    style == .gnu
                        ? .text(name: entry.name, value: flag ? "true" : "false") : .flag(name: entry.name, value: flag)
                }
            }
        }
    }
}

/// The argv property both the parameters and the argv harness check.
enum ArgvCheck {
    static func roundTrip(_ parameters: Parameters, style: ParameterStyle) {
        let argv = ArgvBuilder.arguments(for: parameters, style: style)
        let read = ReferenceArgv.read(argv, style: style)
        let expected = ReferenceArgv.expected(parameters, style: style)
        Property.expect(
            read.map { $0.elementsEqual(expected) { exactlyEqual($0, $1) } } == true,
            "argv \(argv) (\(style)) reads back to the parameters",
            expected: expected, found: read as Any)
    }

    /// Equal scalar by scalar (String's == would also equate canonically equivalent values).
    static func exactlyEqual(_ a: ReferenceArgv.Argument, _ b: ReferenceArgv.Argument) -> Bool {
        switch (a, b) {
        case (.text(let n1, let v1), .text(let n2, let v2)):
            n1.unicodeScalars.elementsEqual(n2.unicodeScalars) && v1.unicodeScalars.elementsEqual(v2.unicodeScalars)
        case (.flag(let n1, let v1), .flag(let n2, let v2)):
            n1.unicodeScalars.elementsEqual(n2.unicodeScalars) && v1 == v2
        default: false
        }
    }
}
