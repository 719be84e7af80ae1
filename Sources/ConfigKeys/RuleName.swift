/// What a refusal names as its rule (`error.rule` in `result.json`): a
/// configuration key, or a variable of the job.
///
/// ```swift
/// RuleName.key(.policyAllowedScripts).description   // "policy.allowed_scripts"
/// RuleName.jobVariable("SCRIPTS_COMMIT").description   // "SCRIPTS_COMMIT"
/// ```
package enum RuleName: Sendable, Hashable, CustomStringConvertible {
    /// A configuration key, such as `policy.allowed_scripts`.
    case key(ConfigKey)
    /// A variable the job sets, such as `SCRIPTS_COMMIT`.
    case jobVariable(String)

    /// The name as `result.json` carries it.
    package var description: String {
        switch self {
        case .key(let key): key.name
        case .jobVariable(let name): name
        }
    }
}
