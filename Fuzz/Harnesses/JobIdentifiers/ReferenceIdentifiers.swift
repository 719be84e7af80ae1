/// The README's rules for a job's identifiers, over bytes.
enum ReferenceIdentifiers {
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// `JOB_ID`: `[A-Za-z0-9._-]{1,128}`, not starting with `.`.
    static func isJobID(_ bytes: [UInt8]) -> Bool {
        (1...128).contains(bytes.count) && bytes.allSatisfy(isNameByte) && bytes.first != 0x2e
    }

    /// `SCRIPT_ID`: a relative path of `[A-Za-z0-9._-]` segments, at most
    /// 256 bytes; no empty, `.` or `..` segment.
    static func isScriptID(_ bytes: [UInt8]) -> Bool {
        guard (1...256).contains(bytes.count) else { return false }
        return bytes.split(separator: 0x2f, omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && Array(segment) != [0x2e] && Array(segment) != [0x2e, 0x2e]
                && segment.allSatisfy(isNameByte)
        }
    }

    /// `SCRIPTS_REF`: 1 to 255 bytes of `[A-Za-z0-9._/-]`.
    static func isRef(_ bytes: [UInt8]) -> Bool {
        (1...255).contains(bytes.count) && bytes.allSatisfy { isNameByte($0) || $0 == 0x2f }
    }

    /// `PARAMETERS` that counts as absent: nothing but JSON whitespace.
    static func isBlankParameters(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { [0x20, 0x09, 0x0a, 0x0d].contains($0) }
    }

    /// Whether `path` is `directory` or lies under it, comparing bytes.
    static func isInside(_ path: [UInt8], directory: [UInt8]) -> Bool {
        var base = directory
        while base.count > 1 && base.last == 0x2f { base.removeLast() }
        if path == base { return true }
        let prefix = base == [0x2f] ? base : base + [0x2f]
        return path.count >= prefix.count && Array(path.prefix(prefix.count)) == prefix
    }
}
