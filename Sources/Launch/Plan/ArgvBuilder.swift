import JobInput

/// How a script expects its named parameters.
package enum ParameterStyle: String, Sendable, CaseIterable {
    /// `-Name value`, booleans `-Name:$true` / `-Name:$false` (PowerShell).
    case powershell
    /// `--name value`, booleans `--name true` / `--name false` (Python, shell).
    case gnu

    /// The style for a script extension.
    package static func forExtension(_ fileExtension: String) -> ParameterStyle {
        fileExtension == "ps1" ? .powershell : .gnu
    }
}

/// Turns job parameters into argv elements. Each value is one element, so no
/// shell ever splits or interprets it.
///
/// Rules, in `PARAMETERS` order:
/// - a string or number: the option, then the value as its own element;
/// - a boolean: PowerShell `-Name:$true`; GNU `--name`, `true`;
/// - null: the option is left out;
/// - an array: the option repeated for each non-null element;
/// - a value starting with `-` is joined to its option (`--name=-x`,
///   `-Name:-x`) so the script's parser cannot take it for an option.
///
/// ```swift
/// ArgvBuilder.arguments(for: params, style: .gnu)   // ["--host", "web 1", "--dry-run", "true"]
/// ```
package enum ArgvBuilder {
    package static func arguments(for parameters: Parameters, style: ParameterStyle) -> [String] {
        var argv: [String] = []
        for (name, value) in parameters.entries {
            switch value {
            case .scalar(let scalar):
                argv += arguments(name: name, scalar: scalar, style: style)
            case .array(let items):
                for item in items { argv += arguments(name: name, scalar: item, style: style) }
            }
        }
        return argv
    }

    static func arguments(name: String, scalar: ParameterScalar, style: ParameterStyle) -> [String] {
        let option = style == .powershell ? "-\(name)" : "--\(name)"
        let separator = style == .powershell ? ":" : "="
        switch scalar {
        case .null:
            return []
        case .bool(let flag):
            switch style {
            case .powershell: return ["\(option):\(flag ? "$true" : "$false")"]
            case .gnu: return [option, flag ? "true" : "false"]
            }
        case .string(let text), .number(let text):
            // The first byte, not the first `Character`: `-` and a combining
            // mark after it are one `Character`, and the script's parser still sees a dash.
            if text.utf8.first == UInt8(ascii: "-") { return [option + separator + text] }
            return [option, text]
        }
    }
}
