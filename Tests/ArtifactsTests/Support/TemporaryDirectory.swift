import Foundation

/// A fresh directory under /tmp, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/artifacts-tests-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw CocoaError(.fileWriteUnknown) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/name`, after creating it as a directory when `create` is set.
    func subdirectory(_ name: String, create: Bool = true) throws -> String {
        let result = path + "/" + name
        if create { try FileManager.default.createDirectory(atPath: result, withIntermediateDirectories: true) }
        return result
    }
}
