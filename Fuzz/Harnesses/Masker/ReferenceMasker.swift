/// The naive masker over a whole text: every occurrence of every pattern
/// at every offset, the ranges merged when they overlap or touch, each
/// merged range replaced by the mask.
enum ReferenceMasker {
    /// The merged ranges `patterns` cover in `text`.
    static func ranges(_ text: [UInt8], patterns: [[UInt8]]) -> [Range<Int>] {
        // Every offset tries the patterns that start with its byte.
        var byFirstByte = [[[UInt8]]](repeating: [], count: 256)
        for pattern in Set(patterns) where !pattern.isEmpty { byFirstByte[Int(pattern[0])].append(pattern) }
        var found: [Range<Int>] = []
        for start in text.indices {
            for pattern in byFirstByte[Int(text[start])] where pattern.count <= text.count - start {
                var index = 1
                while index < pattern.count && text[start + index] == pattern[index] { index += 1 }
                if index == pattern.count { found.append(start..<(start + pattern.count)) }
            }
        }
        found.sort { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in found {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// `text` with each merged range replaced by `mask`.
    static func mask(_ text: [UInt8], ranges: [Range<Int>], mask: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var position = 0
        for range in ranges {
            out += text[position..<range.lowerBound]
            out += mask
            position = range.upperBound
        }
        return out + text[position...]
    }
}
