extension JobResult.Source: Encodable {
    enum CodingKeys: String, CodingKey {
        case refName = "ref_name", tag, fetched, attempts, rebuilt, checkoutReused = "checkout_reused"
        case submodules, signature, rulesPassed = "rules_passed"
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(refName, forKey: .refName)
        try container.encode(tag, forKey: .tag)
        try container.encode(fetched, forKey: .fetched)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(rebuilt, forKey: .rebuilt)
        try container.encode(checkoutReused, forKey: .checkoutReused)
        try container.encode(submodules, forKey: .submodules)
        try container.encode(signature, forKey: .signature)
        try container.encode(rulesPassed, forKey: .rulesPassed)
    }
}

extension JobResult.Source.Signature: Encodable {
    enum CodingKeys: String, CodingKey { case object, format, signer, key }
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(object, forKey: .object)
        try container.encode(format, forKey: .format)
        try container.encode(signer, forKey: .signer)
        try container.encode(key, forKey: .key)
    }
}
