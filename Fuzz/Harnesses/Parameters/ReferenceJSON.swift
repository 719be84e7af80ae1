/// A slow JSON reader written from RFC 8259 (strict: no NaN or Infinity,
/// no trailing commas, only the four whitespace bytes, a `\u` high
/// surrogate must be followed by a low one and a low one may not stand
/// alone, since no string can hold it), over bytes, keeping object member
/// order and each number's spelling.
enum ReferenceJSON {
    indirect enum Value: Equatable {
        case string([Unicode.Scalar])
        case number([UInt8])
        case bool(Bool)
        case null
        case array([Value])
        case object([(key: [Unicode.Scalar], value: Value)])

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.string(let a), .string(let b)): a == b
            case (.number(let a), .number(let b)): a == b
            case (.bool(let a), .bool(let b)): a == b
            case (.null, .null): true
            case (.array(let a), .array(let b)): a == b
            case (.object(let a), .object(let b)): a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
            default: false
            }
        }
    }

    /// The document in `bytes`, or nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> Value? {
        var index = 0
        guard let value = value(bytes, &index, depth: 0) else { return nil }
        skipBlanks(bytes, &index)
        return index == bytes.count ? value : nil
    }

    static func skipBlanks(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 }
    }

    static func value(_ bytes: [UInt8], _ index: inout Int, depth: Int) -> Value? {
        skipBlanks(bytes, &index)
        guard index < bytes.count, depth < 64 else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: [Unicode.Scalar], value: Value)] = []
            skipBlanks(bytes, &index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipBlanks(bytes, &index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string(bytes, &index) else {
                    return nil
                }
                skipBlanks(bytes, &index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let member = value(bytes, &index, depth: depth + 1) else { return nil }
                members.append((key, member))
                skipBlanks(bytes, &index)
                guard index < bytes.count else { return nil }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
                guard bytes[index - 1] == UInt8(ascii: ",") else { return nil }
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [Value] = []
            skipBlanks(bytes, &index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                guard let item = value(bytes, &index, depth: depth + 1) else { return nil }
                items.append(item)
                skipBlanks(bytes, &index)
                guard index < bytes.count else { return nil }
                index += 1
                if bytes[index - 1] == UInt8(ascii: "]") { return .array(items) }
                guard bytes[index - 1] == UInt8(ascii: ",") else { return nil }
            }
        case UInt8(ascii: "\""):
            return string(bytes, &index).map(Value.string)
        default:
            for (word, literal) in [("true", Value.bool(true)), ("false", .bool(false)), ("null", .null)] {
                let spelled = Array(word.utf8)
                if bytes.count - index >= spelled.count, Array(bytes[index..<(index + spelled.count)]) == spelled {
                    index += spelled.count
                    return literal
                }
            }
            return number(bytes, &index).map(Value.number)
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    static func number(_ bytes: [UInt8], _ index: inout Int) -> [UInt8]? {
        let start = index
        func isDigit(_ at: Int) -> Bool { at < bytes.count && (0x30...0x39).contains(bytes[at]) }
        func digitRun() -> Int {
            let from = index
            while isDigit(index) { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { _ = digitRun() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digitRun() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digitRun() > 0 else { return nil }
        }
        return Array(bytes[start..<index])
    }

    /// A string starting at the `"` at `index`: its scalars.
    static func string(_ bytes: [UInt8], _ index: inout Int) -> [Unicode.Scalar]? {
        index += 1
        var units: [UInt8] = []
        var scalars: [Unicode.Scalar] = []
        func flush() -> Bool {
            guard let text = String(validating: units, as: UTF8.self) else { return false }
            scalars += text.unicodeScalars
            units = []
            return true
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return flush() ? scalars : nil
            case 0..<0x20:
                return nil
            case UInt8(ascii: "\\"):
                guard flush(), index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                let simple: [UInt8: Unicode.Scalar] = [
                    UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/",
                    UInt8(ascii: "b"): "\u{08}",
                    UInt8(ascii: "f"): "\u{0C}", UInt8(ascii: "n"): "\n", UInt8(ascii: "r"): "\r",
                    UInt8(ascii: "t"): "\t",
                ]
                if let scalar = simple[escape] {
                    scalars.append(scalar)
                    continue
                }
                guard escape == UInt8(ascii: "u"), let unit = hex4(bytes, &index) else { return nil }
                if (0xD800...0xDBFF).contains(unit) {
                    guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { return nil }
                    index += 2
                    guard let low = hex4(bytes, &index), (0xDC00...0xDFFF).contains(low),
                        let scalar = Unicode.Scalar(0x10000 + (unit - 0xD800) * 0x400 + (low - 0xDC00))
                    else { return nil }
                    scalars.append(scalar)
                } else {
                    guard let scalar = Unicode.Scalar(unit) else { return nil }
                    scalars.append(scalar)
                }
            default:
                units.append(byte)
            }
        }
        return nil
    }

    static func hex4(_ bytes: [UInt8], _ index: inout Int) -> UInt32? {
        guard bytes.count - index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Int(String(Unicode.Scalar(bytes[index])), radix: 16) else { return nil }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }
}
